"""The idea board's models moved to the ideas app (ideas 0001). Their tables stay as they
are, under their forum_* names: this only removes the models from forum's migration state.
The PostgreSQL GIN index of 0005 stays on the table too (it was never in the state)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("forum", "0005_idea_search_gin")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="IdeaQuestionLink"),
                migrations.DeleteModel(name="IdeaStatusChange"),
                migrations.DeleteModel(name="IdeaVote"),
                migrations.DeleteModel(name="Idea"),
            ],
            database_operations=[],
        )
    ]
