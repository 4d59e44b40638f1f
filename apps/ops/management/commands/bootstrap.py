import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from apps.teams.models import Team
from apps.teams.services import teams_seed_demo


class Command(BaseCommand):
    help = (
        "Prepare a machine for `make run`: migrate, collect static files, create the "
        "first admin user, seed a demo team into an empty database, print the URLs."
    )

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        self._admin()
        if not Team.objects.exists():
            result = teams_seed_demo(teams=1, members=5)
            self.stdout.write(f"Seeded a demo team with {result.members_created} members.")
        self._urls()

    def _admin(self):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            return
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME", "admin")
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        generated = not password
        password = password or secrets.token_urlsafe(12)
        User.objects.create_superuser(
            username=username,
            email=os.environ.get("DJANGO_SUPERUSER_EMAIL", ""),
            password=password,
        )
        if generated:
            self.stdout.write(self.style.WARNING(
                f"Created admin user {username!r} with password {password!r} "
                "(shown once; change it in the admin)."
            ))
        else:
            self.stdout.write(f"Created admin user {username!r} from DJANGO_SUPERUSER_*.")

    def _urls(self):
        base = settings.PUBLIC_URL
        flower_port = os.environ.get("FLOWER_PORT", "5555")
        flower_user = os.environ.get("FLOWER_BASIC_AUTH", "").partition(":")[0]
        hook_user, _, hook_password = (settings.INBOUND_WEBHOOK_SECRET or ["?:?"])[0].partition(":")
        host = base.split("://", 1)[-1].split("/", 1)[0]
        self.stdout.write(
            "\nDonemail is starting:\n"
            f"  admin    {base}/admin/\n"
            f"  flower   http://127.0.0.1:{flower_port}/  (user {flower_user!r}, password in "
            f"{settings.VAR_DIR / 'secrets.env'})\n"
            f"  health   {base}/healthz\n"
            f"  webhook  {base.split('://')[0]}://{hook_user}:{hook_password}@{host}"
            "/hooks/sendgrid/inbound/\n"
            f"  mail     every outbound message lands in {settings.MAILSINK_DIR}/new\n"
        )
