import uuid

from django.conf import settings
from django.db import migrations


def fill(apps, schema_editor):
    OutboundEmail = apps.get_model("members", "OutboundEmail")
    rows = list(OutboundEmail.objects.filter(message_id__isnull=True).only("pk"))
    for row in rows:
        row.message_id = f"<{uuid.uuid4().hex}@{settings.VECHE_MESSAGE_ID_DOMAIN}>"
    OutboundEmail.objects.bulk_update(rows, ["message_id"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("members", "0004_outboundemail_retry_at_message_id")]

    # Backwards: nothing to undo, 0004's reversal drops the column.
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
