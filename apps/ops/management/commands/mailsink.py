import logging
import signal
import threading

from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.management.base import BaseCommand

from apps.ops.mailsink import Maildir, MaildirHandler


class Command(BaseCommand):
    help = "Run the local SMTP mail sink; every message lands in a Maildir (var/mail)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=1025)
        parser.add_argument("--maildir", default=str(settings.MAILSINK_DIR))

    def handle(self, *args, host, port, maildir, **options):
        logging.getLogger("donemail.mailsink").setLevel(logging.INFO)
        controller = Controller(
            MaildirHandler(Maildir(maildir)), hostname=host, port=port,
            decode_data=False, data_size_limit=50 * 1024 * 1024,
        )
        controller.start()
        self.stdout.write(f"mailsink: listening on {host}:{port}, storing in {maildir}/new")
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *a: stop.set())
        signal.signal(signal.SIGINT, lambda *a: stop.set())
        stop.wait()
        controller.stop()
