from django.core.management.base import BaseCommand

from superconnector.core.domain.mail import send_due_mail
from superconnector.core.tasks import queue_retry


class Command(BaseCommand):
    help = "Send queued e-mail that is due (run every minute from cron or a task worker)."

    def handle(self, **options):
        self.stdout.write(f"{send_due_mail(retry=queue_retry)} sent.")
