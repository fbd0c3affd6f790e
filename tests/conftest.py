import shutil

import pytest
from django.conf import settings

from cms.organisation import AUTHORS_GROUP, EDITORS_GROUP, TRAINING_ADMINS_GROUP
from tests.factories import StaffProfileFactory, UserFactory

pytest_plugins = ["tests.browser"]


@pytest.fixture(scope="session", autouse=True)
def _remove_test_media():
    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture
def learner(db):
    return StaffProfileFactory(user__username="learner", roles=["general"]).user


@pytest.fixture
def author(db):
    return UserFactory(username="author", groups=[AUTHORS_GROUP])


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", groups=[EDITORS_GROUP])


@pytest.fixture
def training_admin(db):
    return UserFactory(username="trainer", groups=[TRAINING_ADMINS_GROUP])
