from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("verify/", views.verify_form_view, name="verify_form"),
    path("verify/<str:code>/", views.verify_view, name="verify"),
    path(
        "requirements/<id:requirement_id>/",
        views.requirement_certificate_view,
        name="requirement",
    ),
    path(
        "people/<id:user_id>/curricula/<id:curriculum_id>/",
        views.certification_certificate_view,
        name="certification",
    ),
    path("<str:code>/", views.certificate_view, name="certificate"),
]
