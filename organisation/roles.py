"""The job roles the ministry's training is organised by (see the seed deck).

The codes are stable identifiers used by curricula, question banks and reports;
the names shown to people live in the JobRole rows (created by migration
cms.0002) and can be edited.
"""

GENERAL_STAFF = "general"
LAN_IT_OFFICER = "lan_it"
PROJECT_MANAGER = "pjmo"
REGIONAL_IT_OFFICER = "regional"
