"""GIN index on the ideas' stored search vector, on PostgreSQL only (SQLite uses LIKE)."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS forum_idea_search_gin ON forum_idea USING gin (search_vector)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS forum_idea_search_gin")


class Migration(migrations.Migration):
    dependencies = [("forum", "0004_ideas")]
    operations = [migrations.RunPython(create, drop)]
