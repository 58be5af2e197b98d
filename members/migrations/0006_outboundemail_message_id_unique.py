from django.db import migrations, models

import members.models


class Migration(migrations.Migration):
    dependencies = [("members", "0005_outboundemail_fill_message_id")]

    operations = [
        migrations.AlterField(
            model_name="outboundemail",
            name="message_id",
            field=models.CharField(
                default=members.models.new_message_id, max_length=255, unique=True
            ),
        ),
    ]
