"""The four idea models' content types move with them: the rows are renamed in place
(app_label "forum" → "ideas"), keeping their ids, so everything that points at an idea through
a content type keeps pointing at it: follows and comments (generic foreign keys), moderation
flags, queue items and audit entries, notifications, and the models' auth permissions.

A ``migrate`` stopped right after 0001 lets Django create fresh, empty content types (and
their permissions) under the new label. Such a row is dropped before the renaming, as long as
nothing but its own permissions points at it; otherwise the migration stops and says which
table uses it, rather than leave the data split between two content types."""

from django.db import migrations

MODELS = ["idea", "ideavote", "ideastatuschange", "ideaquestionlink"]


def _users_of(apps, content_type) -> list[str]:
    """Tables (other than auth permissions) with a row pointing at ``content_type``."""
    found = []
    for model in apps.get_models():
        if model._meta.label_lower == "auth.permission":
            continue
        for field in model._meta.concrete_fields:
            target = getattr(field, "related_model", None)
            if target is not None and target._meta.label_lower == "contenttypes.contenttype":
                if model._base_manager.filter(**{field.name: content_type}).exists():
                    found.append(model._meta.db_table)
    return found


def _relabel(apps, schema_editor, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    for model in MODELS:
        row = ContentType.objects.using(db).filter(app_label=old, model=model).first()
        if row is None:
            continue
        clash = ContentType.objects.using(db).filter(app_label=new, model=model).first()
        if clash is not None:
            used = _users_of(apps, clash)
            if used:
                raise RuntimeError(
                    f"Content types {old}.{model} (id {row.pk}) and {new}.{model} (id "
                    f"{clash.pk}) both exist and {', '.join(used)} use the second; point them "
                    f"at one of the two and delete the other before migrating."
                )
            Permission.objects.using(db).filter(content_type=clash).delete()
            clash.delete()
        row.app_label = new
        row.save(using=db, update_fields=["app_label"])
    ContentType.objects.clear_cache()


def forwards(apps, schema_editor):
    _relabel(apps, schema_editor, "forum", "ideas")


def backwards(apps, schema_editor):
    _relabel(apps, schema_editor, "ideas", "forum")


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
