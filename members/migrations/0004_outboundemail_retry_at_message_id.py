from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("members", "0003_activityday_drop_member_index")]

    operations = [
        migrations.AddField(
            model_name="outboundemail",
            name="retry_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        # Nullable and not unique until 0005 gives every existing row its own value.
        migrations.AddField(
            model_name="outboundemail",
            name="message_id",
            field=models.CharField(max_length=255, null=True),
        ),
    ]
