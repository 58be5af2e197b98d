from django.db import migrations


def create_row(apps, schema_editor):
    CommunitySettings = apps.get_model("members", "CommunitySettings")
    CommunitySettings.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [migrations.RunPython(create_row, migrations.RunPython.noop)]
