from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("lessons/<id:lesson_id>/read/", views.lesson_read_view, name="lesson_read"),
    path("records/", views.transcript_view, name="transcript"),
]
