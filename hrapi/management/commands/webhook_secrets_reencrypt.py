"""Re-encrypt every webhook signing secret under the current WEBHOOK_SECRET_KEY (after a key
rotation, while the old key is still listed in WEBHOOK_SECRET_KEY_FALLBACKS)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from hrapi.encryption import reencrypt
from hrapi.models import WebhookSubscription


class Command(BaseCommand):
    help = __doc__

    @transaction.atomic
    def handle(self, *args, **options):
        rows = WebhookSubscription.objects.select_for_update().only("pk", "secret_encrypted")
        count = 0
        for subscription in rows:
            WebhookSubscription.objects.filter(pk=subscription.pk).update(
                secret_encrypted=reencrypt(subscription.secret_encrypted)
            )
            count += 1
        self.stdout.write(f"{count} webhook secret(s) now under the current key.")
