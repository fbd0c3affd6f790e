from django.urls import path

from . import views

app_name = "quizzes"

urlpatterns = [
    path(
        "checkpoints/<id:checkpoint_id>/start/",
        views.attempt_start_view,
        name="attempt_start",
    ),
    path("attempts/<id:attempt_id>/", views.attempt_view, name="attempt"),
    path(
        "attempts/<id:attempt_id>/submit/",
        views.attempt_submit_view,
        name="attempt_submit",
    ),
]
