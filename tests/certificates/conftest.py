"""Certificate fixtures: a learner who completed the mandatory security
series, and a PJMO certified for the role."""

from __future__ import annotations

import pytest

from tests.training.conftest import (  # noqa: F401 -- fixtures used here
    _requirement_tasks_run_inline,  # material changes re-open requirements inline
    drill,
    make_curriculum,
    mandatory,
    owed,
    person,
    pjmo_curriculum,
    pjmo_series,
    read,
    security_series,
    sync,
    today,
)
from training.services import completion_record_external


@pytest.fixture
def completed(mandatory, security_series):  # noqa: F811
    """`learner` read every lesson of the mandatory security series."""
    learner = person("learner", name="一般 一郎")
    sync()
    records = [read(lesson, learner) for lesson in security_series.test_lessons]
    requirement = owed(learner, series=security_series).get()
    return learner, requirement, records


@pytest.fixture
def certified(pjmo_curriculum, pjmo_series, drill, training_admin):  # noqa: F811
    """`pjmo` met every item of the PJMO curriculum: the series and the drill."""
    pjmo = person("pjmo", roles=["general", "pjmo"], name="計画 三奈")
    sync()
    read(pjmo_series.test_lessons[0], pjmo)
    completion_record_external(
        user=pjmo, external_training=drill, completed_on=today(), by=training_admin
    )
    return pjmo
