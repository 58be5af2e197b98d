"""An index for the inbox's first page over all queues: open items in display order
(priority, then oldest first), so PostgreSQL reads 50 rows from the index instead of joining
and sorting every open item."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0003_documents_and_moderators_group"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="queueitem",
            index=models.Index(
                condition=models.Q(("resolved_at__isnull", True)),
                fields=["-priority", "created_at", "id"],
                name="queueitem_open_order_idx",
            ),
        ),
    ]
