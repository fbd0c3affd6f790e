"""Demo organisation: divisions with their managers, posts, and the demo accounts.

Loading is idempotent: whatever exists already (matched by code, name or
username) is left as it is, so a second run creates nothing and keeps edits.
Staff numbers, joining dates and role start dates are fixed relative to the
day of loading so that curricula have realistic due dates on any day.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from cms.organisation import AUTHORS_GROUP, EDITORS_GROUP, TRAINING_ADMINS_GROUP

from .models import Division, JobRole, Post, RoleAssignment, StaffProfile
from .roles import GENERAL_STAFF, LAN_IT_OFFICER, PROJECT_MANAGER, REGIONAL_IT_OFFICER

DEMO_PASSWORD = "gofun-demo"  # noqa: S105 -- shown to everyone by `make run`

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
    staff_number: str
    # Days before loading that the person joined; each role's start likewise.
    joined_days_ago: int = 3 * 365
    roles: tuple[tuple[str, int], ...] = ((GENERAL_STAFF, 3 * 365),)
    groups: tuple[str, ...] = ()
    superuser: bool = False


ACCOUNTS = [
    DemoAccount(
        "learner",
        "一般 一郎",
        "学習者（一般職員）",
        "general-affairs",
        "本省",
        "100001",
    ),
    DemoAccount(
        "lan-officer",
        "機器 次郎",
        "学習者（LAN・IT機器担当）",
        "accounting",
        "本省",
        "100002",
        roles=((GENERAL_STAFF, 3 * 365), (LAN_IT_OFFICER, 200)),
    ),
    DemoAccount(
        "pjmo",
        "計画 三奈",
        "学習者（PJMO、先週着任）",
        "personnel",
        "本省",
        "100003",
        # Gained PJMO last week: the PJMO curriculum is new to them.
        roles=((GENERAL_STAFF, 3 * 365), (PROJECT_MANAGER, 6)),
    ),
    DemoAccount(
        "regional-officer",
        "広域 四郎",
        "学習者（広域担当官・在外公館）",
        "it-governance",
        "在シンガポール日本国大使館",
        "100004",
        roles=(
            (GENERAL_STAFF, 5 * 365),
            (REGIONAL_IT_OFFICER, 400),
            (LAN_IT_OFFICER, 400),
        ),
    ),
    DemoAccount(
        "learner-mission",
        "在外 五月",
        "学習者（一般職員・在外公館）",
        "consular-policy",
        "在アメリカ合衆国日本国大使館",
        "100005",
        joined_days_ago=20,
        roles=((GENERAL_STAFF, 20),),
    ),
    DemoAccount(
        "author",
        "若手 花子",
        "執筆者（スライド作成担当）",
        "it-governance",
        "本省",
        "100006",
        groups=(AUTHORS_GROUP,),
    ),
    DemoAccount(
        "editor",
        "編集 太郎",
        "編集者（承認・公開）",
        "it-governance",
        "本省",
        "100007",
        groups=(EDITORS_GROUP,),
    ),
    DemoAccount(
        "trainer",
        "研修 恵子",
        "研修担当（組織・記録）",
        "personnel",
        "本省",
        "100008",
        groups=(TRAINING_ADMINS_GROUP,),
    ),
    DemoAccount(
        "admin",
        "管理 者",
        "サイト管理者（すべての権限）",
        "it-governance",
        "本省",
        "100009",
        superuser=True,
    ),
]

# Division managers (課室長), who receive the digest of overdue training.
MANAGERS = {
    "it-governance": ("manager-itg", "統括 課長", "100101"),
    "general-affairs": ("manager-ga", "総務 課長", "100102"),
    "personnel": ("manager-pe", "人事 課長", "100103"),
    "accounting": ("manager-ac", "会計 課長", "100104"),
    "consular-policy": ("manager-cp", "領事 課長", "100105"),
}


def _days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _load_organisation(report) -> None:
    for code, name in DIVISIONS:
        _, created = Division.objects.get_or_create(code=code, defaults={"name": name})
        report.count(Division, created)
    for name, kind in POSTS:
        _, created = Post.objects.get_or_create(name=name, defaults={"kind": kind})
        report.count(Post, created)


def demo_staff_create(
    *,
    username: str,
    name: str,
    division: Division,
    post: Post,
    staff_number: str,
    joined_on: datetime.date,
    roles: list[tuple[JobRole, datetime.date]],
    active: bool = True,
    email: str = "",
):
    """A demo member of staff with a profile and role assignments."""
    User = get_user_model()
    user = User(
        username=username,
        first_name=name,
        # Inactive (simulated) staff have no address: nobody reads their mail.
        email=email or (f"{username}@example.go.jp" if active else ""),
        is_active=active,
    )
    if active:
        user.set_password(DEMO_PASSWORD)
    else:
        user.set_unusable_password()
    user.save()
    profile = StaffProfile.objects.create(
        user=user,
        division=division,
        post=post,
        staff_number=staff_number,
        joined_on=joined_on,
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(profile=profile, role=role, started_on=started, sort_order=n)
        for n, (role, started) in enumerate(roles)
    )
    return user


def _load_accounts(report) -> None:
    User = get_user_model()
    roles = {role.code: role for role in JobRole.objects.all()}
    for account in ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = demo_staff_create(
                username=account.username,
                name=account.name,
                division=Division.objects.get(code=account.division),
                post=Post.objects.get(name=account.post),
                staff_number=account.staff_number,
                joined_on=_days_ago(account.joined_days_ago),
                roles=[(roles[code], _days_ago(days)) for code, days in account.roles],
            )
            if account.superuser:
                user.is_staff = user.is_superuser = True
                user.save(update_fields=["is_staff", "is_superuser"])
            user.groups.set(Group.objects.filter(name__in=account.groups))
            report.count(User)
        report.users[account.username] = user
        report.accounts.append((account.username, account.description))


def _load_managers(report) -> None:
    User = get_user_model()
    general = JobRole.objects.get(code=GENERAL_STAFF)
    headquarters = Post.objects.get(name="本省")
    for code, (username, name, number) in MANAGERS.items():
        division = Division.objects.get(code=code)
        user = User.objects.filter(username=username).first()
        if user is None:
            user = demo_staff_create(
                username=username,
                name=name,
                division=division,
                post=headquarters,
                staff_number=number,
                joined_on=_days_ago(15 * 365),
                roles=[(general, _days_ago(15 * 365))],
            )
            report.count(User)
        if division.manager_id is None:
            division.manager = user
            division.save(update_fields=["manager"])
        report.accounts.append((username, f"課室長（{division.name}）"))


# Simulated staff (inactive accounts: nobody signs in as them) stand for the
# ministry's readers in quizzes, curricula and view statistics.
SIMULATED_STAFF = 240
SIMULATED_PREFIX = "sim-"


def simulated_staff_load(report) -> None:
    """The simulated staff, spread over the divisions and posts that exist."""
    User = get_user_model()
    if User.objects.filter(username__startswith=SIMULATED_PREFIX).exists():
        return
    rng = random.Random("gofun-demo-staff")  # noqa: S311 -- demo data
    divisions = list(Division.objects.order_by("code"))
    headquarters = Post.objects.filter(kind=Post.Kind.HEADQUARTERS).first()
    missions = list(Post.objects.filter(kind=Post.Kind.MISSION)) or [headquarters]
    roles = {role.code: role for role in JobRole.objects.all()}
    for number in range(1, SIMULATED_STAFF + 1):
        joined_days_ago = rng.choice([30, 120, 400, 900, 2000, 4000])
        codes = [(GENERAL_STAFF, joined_days_ago)]
        draw = rng.random()
        if draw < 0.2:
            codes.append((LAN_IT_OFFICER, rng.randint(10, joined_days_ago)))
        elif draw < 0.35:
            codes.append((PROJECT_MANAGER, rng.randint(10, joined_days_ago)))
        on_mission = rng.random() < 0.2
        if on_mission and rng.random() < 0.4:
            codes.append((REGIONAL_IT_OFFICER, rng.randint(10, joined_days_ago)))
        demo_staff_create(
            username=f"{SIMULATED_PREFIX}{number:03d}",
            name=f"模擬職員 {number:03d}",
            division=rng.choice(divisions),
            post=rng.choice(missions) if on_mission else headquarters,
            staff_number=f"{200000 + number}",
            joined_on=_days_ago(joined_days_ago),
            roles=[(roles[code], _days_ago(days)) for code, days in codes],
            active=False,
        )
        report.count(User)


def simulated_staff() -> list:
    """The simulated staff, in a fixed order."""
    return list(
        get_user_model()
        .objects.filter(username__startswith=SIMULATED_PREFIX, is_active=False)
        .order_by("username")
    )


def organisation_demo_load(report) -> None:
    """Divisions, posts, the demo accounts, each division's manager and the
    simulated staff."""
    report.password = DEMO_PASSWORD
    _load_organisation(report)
    _load_accounts(report)
    _load_managers(report)
    simulated_staff_load(report)
