"""E-mail about comments on questions and ideas a member follows is now off by default for new
members. Members who joined before had it on, having never chosen otherwise: their choice is
written down, so the new defaults change nothing for them."""

from django.db import migrations

TURNED_OFF_BY_DEFAULT = ("comment_new", "idea_comment")


def keep_choices(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    batch = []
    for member in Member.objects.only("pk", "email_preferences").iterator(chunk_size=2000):
        prefs = dict(member.email_preferences or {})
        missing = [kind for kind in TURNED_OFF_BY_DEFAULT if kind not in prefs]
        if not missing:
            continue
        prefs.update(dict.fromkeys(missing, True))
        member.email_preferences = prefs
        batch.append(member)
        if len(batch) >= 1000:
            Member.objects.bulk_update(batch, ["email_preferences"])
            batch = []
    Member.objects.bulk_update(batch, ["email_preferences"])


class Migration(migrations.Migration):
    dependencies = [("members", "0006_outboundemail_message_id_unique")]

    # Backwards: nothing to undo; the written choices equal what these members had.
    operations = [migrations.RunPython(keep_choices, migrations.RunPython.noop)]
