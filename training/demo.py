"""Demo training: external trainings and drills, curricula for 必修 and the
four job roles, everyone's requirements, and a realistic mix of records.

Everything goes through the services: curricula are published revisions,
requirements come from the sync, passes from real checkpoint attempts,
attendance at the phishing drill from a CSV import, waivers and the material
revision of a mandatory lesson through their own services. Due dates are
rules relative to joining, gaining a role or the fiscal year, so the mix of
未着手, 受講中, 修了, 期限超過 and 免除 holds on any day.

Idempotent: what exists (matched by code, role or lesson) is left alone, and
the records are written once (the drill's attendance marks them).
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from learning_series.models import LessonPage, SeriesPage
from organisation.demo import simulated_staff
from organisation.models import JobRole, StaffProfile
from organisation.roles import (
    GENERAL_STAFF,
    LAN_IT_OFFICER,
    PROJECT_MANAGER,
    REGIONAL_IT_OFFICER,
)
from quizzes.models import Checkpoint
from quizzes.services import QuizError, attempt_start, attempt_submit

from .attendance import attendance_import
from .models import (
    CompletionRecord,
    Curriculum,
    DueRule,
    ExternalTraining,
    LessonMaterialChange,
    Recurrence,
    Requirement,
)
from .requirements.due_dates import fiscal_year_period
from .requirements.services import (
    curriculum_create,
    lesson_material_change_record,
    requirements_sync,
)
from .services import completion_record_external, requirement_waive

PHISHING_DRILL = "phishing-drill"

EXTERNAL_TRAININGS = [
    (
        PHISHING_DRILL,
        "標的型メール訓練",
        ExternalTraining.Kind.DRILL,
        "情報システム統括課",
        "年に一度、全職員に訓練メールを送り、添付ファイルを開かずに報告できたかを記録します。",
    ),
    (
        "lan-officer-course",
        "LAN・IT機器担当者研修（外部委託）",
        ExternalTraining.Kind.TRAINING,
        "外部委託事業者",
        "端末・ネットワーク機器の管理とインシデント初動の実習（1日）。",
    ),
    (
        "pjmo-course",
        "PJMO研修（外部講師）",
        ExternalTraining.Kind.TRAINING,
        "外部講師",
        "プロジェクト計画書の作成と進捗・リスク管理の演習（2日）。",
    ),
    (
        "regional-officer-course",
        "広域担当官集合研修",
        ExternalTraining.Kind.TRAINING,
        "情報システム統括課",
        "在外公館の広域担当官が一堂に会する集合研修（赴任前）。",
    ),
]


def _series(slug):
    return {"series": SeriesPage.objects.get(slug=slug)}


def _external(code):
    return {"external_training": ExternalTraining.objects.get(code=code)}


def _after_role(days):
    return {"due_rule": DueRule.DAYS_AFTER_ROLE, "due_days": days}


def _after_joining(days):
    return {"due_rule": DueRule.DAYS_AFTER_JOINING, "due_days": days}


def _fixed(month, day):
    # The year does not matter for a date that recurs every fiscal year.
    year = 2026 if month >= 4 else 2027
    return {"due_rule": DueRule.FIXED_DATE, "due_date": datetime.date(year, month, day)}


EVERY_YEAR = {"recurrence": Recurrence.FISCAL_YEAR}


def _curricula():
    """(role code or None for all staff, name, description, items)."""
    return [
        (
            None,
            "必修研修（全職員）",
            "全職員が受講する必修研修です。情報セキュリティと情報保全は毎年度、"
            "標的型メール訓練は毎年度の訓練に参加してください。",
            [
                {**_series("information-security"), **_after_joining(90), **EVERY_YEAR},
                {**_series("document-management"), **_after_joining(60)},
                {**_series("information-protection"), **_fixed(10, 31), **EVERY_YEAR},
                {**_external(PHISHING_DRILL), **_fixed(2, 28), **EVERY_YEAR},
            ],
        ),
        (
            GENERAL_STAFF,
            "一般職員研修カリキュラム",
            "一般職員として押さえておくべきセキュリティの基本です。",
            [
                {**_series("cybersecurity"), **_after_role(180)},
                {**_series("passwords"), **_after_role(180)},
                {**_series("targeted-email"), **_after_role(180)},
            ],
        ),
        (
            LAN_IT_OFFICER,
            "LAN・IT機器担当研修カリキュラム",
            "各課室のLAN・IT機器担当に着任したら受講してください。",
            [
                {**_series("lan-it-officer"), **_after_role(30)},
                {**_series("external-services"), **_after_role(60)},
                {**_external("lan-officer-course"), **_after_role(90)},
            ],
        ),
        (
            PROJECT_MANAGER,
            "PJMO研修カリキュラム",
            "情報システムのプロジェクトを担うPJMOに着任したら受講してください。",
            [
                {**_series("pjmo-basics"), **_after_role(30)},
                {**_series("it-procurement"), **_after_role(60)},
                {**_external("pjmo-course"), **_after_role(90)},
            ],
        ),
        (
            REGIONAL_IT_OFFICER,
            "広域担当官研修カリキュラム",
            "在外公館の広域担当官に着任したら受講してください。",
            [
                {**_series("lan-it-officer"), **_after_role(30)},
                {**_series("telework-threats"), **_after_role(60)},
                {**_external("regional-officer-course"), **_after_role(90)},
            ],
        ),
    ]


def _load_external_trainings(report) -> None:
    for code, name, kind, provider, description in EXTERNAL_TRAININGS:
        _, created = ExternalTraining.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "provider": provider,
                "description": description,
            },
        )
        report.count(ExternalTraining, created)


def _load_curricula(report, *, trainer) -> None:
    roles = {role.code: role for role in JobRole.objects.all()}
    for code, name, description, items in _curricula():
        if code is None:
            exists = Curriculum.objects.filter(for_all_staff=True).exists()
        else:
            exists = Curriculum.objects.filter(role=roles[code]).exists()
        if exists:
            continue
        curriculum_create(
            name=name,
            description=description,
            role=roles[code] if code else None,
            for_all_staff=code is None,
            items=items,
            user=trainer,
        )
        report.count(Curriculum)


def _pass(lesson_slug: str, user, rng, *, leave_open: bool = False) -> None:
    """Pass (or just start) the checkpoint of a lesson, as the learner would."""
    checkpoint = Checkpoint.objects.filter(lesson__slug=lesson_slug, live=True).first()
    if checkpoint is None:
        return
    try:
        attempt = attempt_start(checkpoint=checkpoint, user=user, rng=rng)
    except QuizError:
        return
    if leave_open:
        return
    answers = {
        question.position: [
            question.choice_keys.index(key) for key in question.correct_keys
        ]
        for question in attempt.questions.all()
    }
    attempt_submit(attempt_id=attempt.pk, user=user, answers=answers)


def _drill_day(today: datetime.date) -> datetime.date:
    """A day this fiscal year, before today, when the drill was held."""
    start = fiscal_year_period(today).start
    return max(start, today - datetime.timedelta(days=21))


def _load_records(report, *, users, trainer, rng) -> None:
    today = timezone.localdate()
    learner, pjmo = users["learner"], users["pjmo"]
    lan, regional = users["lan-officer"], users["regional-officer"]
    # Online: passes through real checkpoint attempts.
    for slug in (
        "document-management-1",
        "information-security-1",
        "information-security-2",
    ):
        _pass(slug, learner, rng)
    _pass("information-protection-1", learner, rng, leave_open=True)
    for slug in ("document-management-1", "information-protection-1"):
        _pass(slug, pjmo, rng)
    for slug in ("lan-it-officer-1", "lan-it-officer-2", "external-services-1"):
        _pass(slug, lan, rng)
    for slug in ("lan-it-officer-1", "telework-threats-1"):
        _pass(slug, regional, rng)

    # The phishing drill: attendance of most staff, from a CSV as HR sends it.
    named = [learner, pjmo, lan, regional]
    attended = named + [
        person
        for person in simulated_staff()
        if rng.random() < 0.7  # noqa: S311
    ]
    numbers = dict(
        StaffProfile.objects.filter(user__in=attended).values_list(
            "user_id", "staff_number"
        )
    )
    drill_day = _drill_day(today)
    lines = ["職員番号,氏名,受講日"] + [
        f"{numbers[person.pk]},{person.get_full_name()},{drill_day:%Y/%m/%d}"
        for person in attended
    ]
    attendance_import(
        training=ExternalTraining.objects.get(code=PHISHING_DRILL),
        text="\n".join(lines) + "\n",
        by=trainer,
        source="標的型メール訓練_参加者.csv",
    )
    # The regional officer attended the group course before posting.
    regional_course = ExternalTraining.objects.get(code="regional-officer-course")
    completion_record_external(
        user=regional,
        external_training=regional_course,
        completed_on=today - datetime.timedelta(days=300),
        by=trainer,
        note="赴任前研修",
    )

    # Waivers: the LAN officer took an equal course elsewhere; some simulated
    # staff are on leave.
    waived = (
        Requirement.objects.active()
        .filter(user=lan, external_training__code="lan-officer-course")
        .first()
    )
    if waived is not None:
        requirement_waive(
            requirement=waived,
            by=trainer,
            reason="前職（デジタル庁）で同等の研修を修了済み（修了証の写しを確認）",
        )
    on_leave = Requirement.objects.active().filter(
        user__in=simulated_staff()[200:206], series__slug="information-protection"
    )
    for requirement in on_leave:
        requirement_waive(
            requirement=requirement, by=trainer, reason="育児休業中のため本年度は免除"
        )


MATERIAL_LESSON = "information-security-1"
MATERIAL_REASON = (
    "政府統一基準の改定に合わせ、情報の格付けと取扱制限の説明を改めました。"
    "全職員が改めて受講してください。"
)


def _load_material_revision(report, *, editor, users, rng) -> None:
    lesson = LessonPage.objects.filter(slug=MATERIAL_LESSON).first()
    if lesson is None or LessonMaterialChange.objects.filter(lesson=lesson).exists():
        return
    lesson.summary = (lesson.summary + "（令和8年度改定版）").strip()
    lesson.material_change = True
    lesson.material_change_reason = MATERIAL_REASON
    revision = lesson.save_revision(user=editor, log_action=True)
    revision.publish(user=editor)
    lesson_material_change_record(revision_id=revision.pk)
    report.count(LessonMaterialChange)
    # A few have taken the revised lesson already.
    for person in [users["pjmo"], *simulated_staff()[:8]]:
        _pass(MATERIAL_LESSON, person, rng)


def training_demo_load(report) -> None:
    """External trainings, curricula, requirements and a mix of records."""
    users = report.users
    trainer, editor = users["trainer"], users["editor"]
    rng = random.Random("gofun-demo-training")  # noqa: S311 -- demo data
    _load_external_trainings(report)
    _load_curricula(report, trainer=trainer)
    # The sync also runs when the demo's transaction commits; the records
    # below need the requirements now.
    requirements_sync()
    drill = ExternalTraining.objects.get(code=PHISHING_DRILL)
    if not CompletionRecord.objects.filter(external_training=drill).exists():
        _load_records(report, users=users, trainer=trainer, rng=rng)
    _load_material_revision(report, editor=editor, users=users, rng=rng)
