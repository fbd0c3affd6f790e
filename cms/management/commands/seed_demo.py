from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cms.demo import demo_load


class Command(BaseCommand):
    help = "Load the demo site: organisation, demo accounts and the twelve series."

    def handle(self, *args, **options):
        if settings.GOFUN_ENVIRONMENT == "production":
            raise CommandError(
                _(
                    "seed_demo refuses to run under production settings: it creates "
                    "accounts with a published password."
                )
            )
        report = demo_load()
        if report.total:
            made = ", ".join(f"{kind}: {n}" for kind, n in report.created.items())
            self.stdout.write(self.style.SUCCESS(_("Demo loaded (%s).") % made))
        else:
            self.stdout.write(_("The demo is already loaded; nothing was created."))
        self.stdout.write("")
        self.stdout.write(_("Demo accounts (password: %s)") % report.password)
        for username, description in report.accounts:
            self.stdout.write(f"  {username:<18} {description}")
