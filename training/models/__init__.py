"""Training's models: the completion ledger, curricula and requirements."""

from .curricula import Curriculum, CurriculumItem, DueRule, ExternalTraining, Recurrence
from .ledger import AppendOnlyQuerySet, CompletionRecord
from .requirements import LessonMaterialChange, Requirement

__all__ = [
    "AppendOnlyQuerySet",
    "CompletionRecord",
    "Curriculum",
    "CurriculumItem",
    "DueRule",
    "ExternalTraining",
    "LessonMaterialChange",
    "Recurrence",
    "Requirement",
]
