"""The four idea models' content types move with them: the rows are renamed in place
(app_label "forum" → "ideas"), keeping their ids, so everything that points at an idea through
a content type keeps pointing at it: follows and comments (generic foreign keys), moderation
flags, queue items and audit entries, notifications, and the models' auth permissions.

Where a row with the new label already exists (a ``migrate`` stopped between 0001 and this
one lets Django create fresh content types for the ideas app), the old row, which the data
points at, is left alone, as Django's own RenameContentType does on such a conflict;
``remove_stale_contenttypes`` then shows what to clean up."""

from django.db import IntegrityError, migrations, transaction

MODELS = ["idea", "ideavote", "ideastatuschange", "ideaquestionlink"]


def _relabel(apps, schema_editor, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        row = ContentType.objects.using(db).filter(app_label=old, model=model).first()
        if row is None:
            continue
        row.app_label = new
        try:
            with transaction.atomic(using=db):
                row.save(using=db, update_fields=["app_label"])
        except IntegrityError:
            continue
    ContentType.objects.clear_cache()


def forwards(apps, schema_editor):
    _relabel(apps, schema_editor, "forum", "ideas")


def backwards(apps, schema_editor):
    _relabel(apps, schema_editor, "ideas", "forum")


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
