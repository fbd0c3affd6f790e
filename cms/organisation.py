"""Permission groups and the editorial workflow, created by migration cms.0003.

The names are what the Wagtail admin shows; code refers to them through these
constants. (Job role codes live in organisation.roles.)
"""

AUTHORS_GROUP = "執筆者"
EDITORS_GROUP = "編集者"
TRAINING_ADMINS_GROUP = "研修担当"

EDITORIAL_WORKFLOW = "編集審査"
EDITORIAL_TASK = "編集者による承認"
