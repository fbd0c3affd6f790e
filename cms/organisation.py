"""The job roles the ministry's training is organised by (see the seed deck).

The codes are stable identifiers used by curricula, question banks and reports;
the names shown to people live in the JobRole rows (created by migration
cms.0002) and can be edited.
"""

GENERAL_STAFF = "general"
LAN_IT_OFFICER = "lan_it"
PROJECT_MANAGER = "pjmo"
REGIONAL_IT_OFFICER = "regional"

# Permission groups, created by migration cms.0003. The names are what the
# Wagtail admin shows; code refers to them through these constants.
AUTHORS_GROUP = "執筆者"
EDITORS_GROUP = "編集者"
TRAINING_ADMINS_GROUP = "研修担当"

EDITORIAL_WORKFLOW = "編集審査"
EDITORIAL_TASK = "編集者による承認"
