"""Print the current TOTP code of a demo account (never in production), so that a newcomer
trying the demo can sign in to accounts that need a second factor without an authenticator app."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.accounts.models import User
from core.accounts.two_factor import confirmed_device, current_code


class Command(BaseCommand):
    help = "Print the current second-factor code of a demo account."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError("demo_totp is refused when DJANGO_ENV=production")
        user = User.objects.filter(username=username).first()
        device = confirmed_device(user) if user else None
        if device is None:
            raise CommandError(f"{username} has no second factor")
        self.stdout.write(current_code(device))
