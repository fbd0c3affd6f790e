from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cms import cache_versions

        from .models import Certificate

        # A person's certificates show on the pages built for them.
        cache_versions.bump_on_change(
            Certificate,
            person_of=lambda certificate: certificate.holder_id,
            uid="gofun_cache_person_certificate",
        )
