"""`training_status` and `sync_training_requirements` from the shell."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from training.models import Requirement
from training.requirements.due_dates import fiscal_year_period

from .conftest import days, person, read, sync, today

pytestmark = pytest.mark.django_db


def status_json(username: str, **options) -> list[dict]:
    out = StringIO()
    call_command("training_status", username, json=True, stdout=out, **options)
    return json.loads(out.getvalue())


def test_training_status_json_lists_items_with_status_and_due(
    mandatory, security_series
):
    learner = person("learner")
    sync()
    for lesson in security_series.test_lessons:
        read(lesson, learner)

    items = {item["item"]: item for item in status_json("learner")}

    series = items["情報セキュリティの基本ルール"]
    assert series["kind"] == "series"
    assert series["status"] == "completed"
    assert series["status_label"] == "修了"
    assert series["completed_at"].startswith(today().isoformat())
    assert series["curriculum"] == "必修研修"
    drill = items["標的型メール訓練"]
    assert (drill["kind"], drill["completed_at"]) == ("external", None)
    assert drill["due"] == (fiscal_year_period(today()).start + days(120)).isoformat()
    assert {"item", "kind", "status", "due", "completed_at"} <= set(drill)


def test_training_status_prints_text(mandatory):
    person("learner", name="一般 一郎")
    sync()
    out = StringIO()

    call_command("training_status", "learner", stdout=out)

    assert "一般 一郎" in out.getvalue()
    assert "標的型メール訓練" in out.getvalue()


def test_an_unknown_user_is_refused_with_status_2():
    with pytest.raises(CommandError) as refused:
        call_command("training_status", "nobody", stdout=StringIO())

    assert refused.value.returncode == 2
    assert "nobody" in str(refused.value)


def test_the_daily_sync_reopens_yearly_items_in_a_new_year(mandatory):
    learner = person("learner")
    call_command("sync_training_requirements", stdout=StringIO())
    next_year = fiscal_year_period(today()).end + days(1)
    out = StringIO()

    call_command("sync_training_requirements", today=next_year.isoformat(), stdout=out)

    assert Requirement.objects.filter(user=learner, lapsed_on=next_year).count() == 2
    assert Requirement.objects.active().filter(user=learner).count() == 2
    assert "2" in out.getvalue()


def test_a_bad_day_is_refused_with_status_2():
    with pytest.raises(CommandError) as refused:
        call_command(
            "sync_training_requirements", today="2026-02-30", stdout=StringIO()
        )

    assert refused.value.returncode == 2


def test_a_sync_as_of_an_earlier_day_is_refused_and_changes_nothing(mandatory):
    # As of a past day (a mistyped year) everyone's requirements would lapse,
    # and the next sync would open new ones without their waivers.
    learner = person("learner")
    sync()
    owed = set(Requirement.objects.active().values_list("pk", flat=True))

    with pytest.raises(CommandError, match="today") as refused:
        call_command(
            "sync_training_requirements",
            today=(today() - days(1)).isoformat(),
            stdout=StringIO(),
        )

    assert refused.value.returncode == 2
    assert set(Requirement.objects.active().values_list("pk", flat=True)) == owed
    assert Requirement.objects.active().filter(user=learner).exists()


def test_a_sync_as_of_a_day_past_2099_is_refused_with_status_2(mandatory):
    with pytest.raises(CommandError, match="2099-12-31") as refused:
        call_command(
            "sync_training_requirements", today="9999-12-31", stdout=StringIO()
        )

    assert refused.value.returncode == 2
