"""GIN indexes on the stored search vectors, on PostgreSQL only (SQLite searches with LIKE)."""

from django.db import migrations

TABLES = ["forum_question", "forum_answer", "forum_faqentry"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_gin ON {table} USING gin (search_vector)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_gin")


class Migration(migrations.Migration):
    dependencies = [("forum", "0002_questions_answers_faq")]
    operations = [migrations.RunPython(create, drop)]
