"""The demo site: organisation, accounts and the twelve series of the seed deck.

Loading is idempotent: whatever exists already (matched by code, username or
slug) is left as it is, so a second run creates nothing and keeps any edits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models, transaction

from cms.models import Division, HomePage, JobRole, Post, StaffProfile
from cms.organisation import (
    AUTHORS_GROUP,
    EDITORS_GROUP,
    GENERAL_STAFF,
    LAN_IT_OFFICER,
    PROJECT_MANAGER,
    REGIONAL_IT_OFFICER,
    TRAINING_ADMINS_GROUP,
)
from learning_series.marp import parse_deck
from learning_series.models import LessonPage, SeriesIndexPage, SeriesPage
from learning_series.services import lesson_create_from_deck

DEMO_CONTENT = Path(__file__).resolve().parent.parent / "learning_series" / "demo"
DEMO_PASSWORD = "gofun-demo"  # noqa: S105 -- shown to everyone by `make run`

HOME_INTRO = (
    "<p>若手職員が作成し、編集者が確認した<b>5分で読めるスライド教材</b>です。"
    "会議の合間に1本ずつ読み進めてください。</p>"
)

DIVISIONS = [
    ("it-governance", "情報システム統括課"),
    ("general-affairs", "総務課"),
    ("personnel", "人事課"),
    ("accounting", "会計課"),
    ("consular-policy", "領事局政策課"),
]

POSTS = [
    ("本省", Post.Kind.HEADQUARTERS),
    ("在アメリカ合衆国日本国大使館", Post.Kind.MISSION),
    ("在シンガポール日本国大使館", Post.Kind.MISSION),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    name: str
    description: str
    division: str
    post: str
    roles: tuple[str, ...] = (GENERAL_STAFF,)
    groups: tuple[str, ...] = ()
    superuser: bool = False


ACCOUNTS = [
    DemoAccount(
        "learner", "一般 一郎", "学習者（一般職員）", "general-affairs", "本省"
    ),
    DemoAccount(
        "lan-officer",
        "機器 次郎",
        "学習者（LAN・IT機器担当）",
        "accounting",
        "本省",
        roles=(GENERAL_STAFF, LAN_IT_OFFICER),
    ),
    DemoAccount(
        "pjmo",
        "計画 三奈",
        "学習者（PJMO）",
        "personnel",
        "本省",
        roles=(GENERAL_STAFF, PROJECT_MANAGER),
    ),
    DemoAccount(
        "regional-officer",
        "広域 四郎",
        "学習者（広域担当官・在外公館）",
        "it-governance",
        "在シンガポール日本国大使館",
        roles=(GENERAL_STAFF, REGIONAL_IT_OFFICER, LAN_IT_OFFICER),
    ),
    DemoAccount(
        "learner-mission",
        "在外 五月",
        "学習者（一般職員・在外公館）",
        "consular-policy",
        "在アメリカ合衆国日本国大使館",
    ),
    DemoAccount(
        "author",
        "若手 花子",
        "執筆者（スライド作成担当）",
        "it-governance",
        "本省",
        groups=(AUTHORS_GROUP,),
    ),
    DemoAccount(
        "editor",
        "編集 太郎",
        "編集者（承認・公開）",
        "it-governance",
        "本省",
        groups=(EDITORS_GROUP,),
    ),
    DemoAccount(
        "trainer",
        "研修 恵子",
        "研修担当（組織・記録）",
        "personnel",
        "本省",
        groups=(TRAINING_ADMINS_GROUP,),
    ),
    DemoAccount(
        "admin",
        "管理 者",
        "サイト管理者（すべての権限）",
        "it-governance",
        "本省",
        superuser=True,
    ),
]


@dataclass
class DemoReport:
    created: dict[str, int] = field(default_factory=dict)

    def count(self, model: type[models.Model], created: bool = True) -> None:
        """Count a created object under its model's (translated) plural name."""
        if created:
            kind = str(model._meta.verbose_name_plural)
            self.created[kind] = self.created.get(kind, 0) + 1

    @property
    def total(self) -> int:
        return sum(self.created.values())


def _load_organisation(report: DemoReport) -> None:
    for code, name in DIVISIONS:
        _, created = Division.objects.get_or_create(code=code, defaults={"name": name})
        report.count(Division, created)
    for name, kind in POSTS:
        _, created = Post.objects.get_or_create(name=name, defaults={"kind": kind})
        report.count(Post, created)


def _load_accounts(report: DemoReport) -> dict[str, object]:
    User = get_user_model()
    users = {}
    for account in ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = User(
                username=account.username,
                first_name=account.name,
                email=f"{account.username}@example.go.jp",
                is_staff=account.superuser,
                is_superuser=account.superuser,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set(Group.objects.filter(name__in=account.groups))
            profile = StaffProfile(
                user=user,
                division=Division.objects.get(code=account.division),
                post=Post.objects.get(name=account.post),
            )
            # A parental many-to-many is written when the profile is saved.
            profile.roles.set(JobRole.objects.filter(code__in=account.roles))
            profile.save()
            report.count(User)
        users[account.username] = user
    return users


def _load_series(report: DemoReport, *, author, editor) -> None:
    index = SeriesIndexPage.objects.order_by("path").first()
    catalogue = yaml.safe_load((DEMO_CONTENT / "series.yaml").read_text("utf-8"))
    for entry in catalogue:
        series = SeriesPage.objects.child_of(index).filter(slug=entry["slug"]).first()
        if series is None:
            series = SeriesPage(
                title=entry["title"],
                slug=entry["slug"],
                summary=entry["summary"],
                mandatory=entry["mandatory"],
                owner=editor,
                live=False,
            )
            series.target_roles.set(JobRole.objects.filter(code__in=entry["roles"]))
            # The demo author writes every series (担当), as junior staff do.
            series.authors.set([author])
            index.add_child(instance=series)
            series.save_revision(user=editor, log_action=True).publish(user=editor)
            report.count(SeriesPage)
        for stem in entry["lessons"]:
            if series.get_children().filter(slug=stem).exists():
                continue
            deck = parse_deck(
                (DEMO_CONTENT / "lessons" / f"{stem}.md").read_text("utf-8")
            )
            _, revision = lesson_create_from_deck(
                series=series, deck=deck, owner=author, slug=stem
            )
            revision.publish(user=editor)
            report.count(LessonPage)


@transaction.atomic
def demo_load() -> DemoReport:
    """Load whatever part of the demo site is missing and report what was made."""
    report = DemoReport()
    home = HomePage.objects.first()
    if home is not None and not home.intro:
        home.intro = HOME_INTRO
        home.save_revision(log_action=True).publish()
    _load_organisation(report)
    users = _load_accounts(report)
    _load_series(report, author=users["author"], editor=users["editor"])
    from quizzes.demo import quizzes_load

    quizzes_load(report, editor=users["editor"])
    return report
