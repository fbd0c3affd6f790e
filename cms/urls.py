from pathlib import Path

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import views

urlpatterns = [
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Choosing the language must work on the sign-in page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("healthz", views.health, name="health"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("admin/", include(wagtailadmin_urls)),
    path("search/", include("search.urls")),
    path("documents/", include(wagtaildocs_urls)),
    path("quizzes/", include("quizzes.urls")),
    path("training/", include("training.urls")),
    path("certificates/", include("certificates.urls")),
    path("analytics/", include("analytics.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # Image renditions only, as the production proxy serves them: documents
    # go through Wagtail's serve view, which applies collection privacy.
    urlpatterns += static(
        f"{settings.MEDIA_URL}images/",
        document_root=Path(settings.MEDIA_ROOT) / "images",
    )

urlpatterns += [path("", include(wagtail_urls))]
