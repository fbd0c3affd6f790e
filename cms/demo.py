"""The demo site: the home page's welcome, then each app's part in hook order.

Apps register their loaders with the DEMO_LOADERS hook (see
cms.extension_points); each is idempotent, so a second run creates nothing and
keeps any edits. Loaders share the DemoReport: what they created, the demo
accounts to print, and the users later loaders need (the author, the editor).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models, transaction
from wagtail import hooks

from .extension_points import DEMO_LOADERS
from .models import HomePage

HOME_INTRO = (
    "<p>若手職員が作成し、編集者が確認した<b>5分で読めるスライド教材</b>です。"
    "会議の合間に1本ずつ読み進めてください。</p>"
)


@dataclass
class DemoReport:
    created: dict[str, int] = field(default_factory=dict)
    # (username, description) of the accounts people sign in with.
    accounts: list[tuple[str, str]] = field(default_factory=list)
    password: str = ""
    users: dict[str, object] = field(default_factory=dict)

    def count(self, model: type[models.Model], created: bool = True) -> None:
        """Count a created object under its model's (translated) plural name."""
        if created:
            kind = str(model._meta.verbose_name_plural)
            self.created[kind] = self.created.get(kind, 0) + 1

    @property
    def total(self) -> int:
        return sum(self.created.values())


@transaction.atomic
def demo_load() -> DemoReport:
    """Load whatever part of the demo site is missing and report what was made."""
    report = DemoReport()
    home = HomePage.objects.first()
    if home is not None and not home.intro:
        home.intro = HOME_INTRO
        home.save_revision(log_action=True).publish()
    for loader in hooks.get_hooks(DEMO_LOADERS):
        loader(report)
    return report
