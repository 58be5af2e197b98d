"""The idea board's models, moved here from the forum app (forum 0004-0006).

Their tables already exist, created by forum 0004 under their forum_* names (``db_table`` in
the models' Meta), so this migration only adds the models to the ideas app's state; the
database is not touched. The content types follow in 0002."""

import django.contrib.postgres.search
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


STATE_OPERATIONS = [
    migrations.CreateModel(
        name='Idea',
        fields=[
            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ('moderation_state', models.CharField(choices=[('published', 'Published'), ('held', 'Awaiting approval'), ('hidden', 'Hidden'), ('rejected', 'Rejected')], db_index=True, default='published', max_length=12, verbose_name='moderation state')),
            ('title', models.CharField(max_length=160, verbose_name='title')),
            ('slug', models.SlugField(allow_unicode=True, blank=True, max_length=160)),
            ('description', models.TextField(max_length=10000, verbose_name='description')),
            ('description_html', models.TextField(blank=True)),
            ('status', models.CharField(choices=[('new', 'New'), ('under_review', 'Under review'), ('planned', 'Planned'), ('in_progress', 'In progress'), ('shipped', 'Shipped'), ('declined', 'Declined')], default='new', max_length=16, verbose_name='status')),
            ('vote_count', models.PositiveIntegerField(default=0)),
            ('comment_count', models.PositiveIntegerField(default=0)),
            ('recent_vote_count', models.PositiveIntegerField(default=0)),
            ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
            ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
            ('status_changed_at', models.DateTimeField(default=django.utils.timezone.now)),
            ('search_vector', django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
            ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='ideas', to=settings.AUTH_USER_MODEL)),
            ('category', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='ideas', to='forum.category', verbose_name='category')),
            ('merged_into', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='merged_ideas', to='ideas.idea', verbose_name='merged into')),
        ],
        options={
            'verbose_name': 'idea',
            'verbose_name_plural': 'ideas',
            'db_table': 'forum_idea',
            'ordering': ['-created_at', '-id'],
        },
    ),
    migrations.CreateModel(
        name='IdeaQuestionLink',
        fields=[
            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ('converted', models.BooleanField(default=False)),
            ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
            ('idea', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='question_links', to='ideas.idea')),
            ('linked_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ('question', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='idea_links', to='forum.question')),
        ],
        options={
            'db_table': 'forum_ideaquestionlink',
            'ordering': ['created_at', 'id'],
        },
    ),
    migrations.CreateModel(
        name='IdeaStatusChange',
        fields=[
            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ('from_status', models.CharField(choices=[('new', 'New'), ('under_review', 'Under review'), ('planned', 'Planned'), ('in_progress', 'In progress'), ('shipped', 'Shipped'), ('declined', 'Declined')], max_length=16)),
            ('to_status', models.CharField(choices=[('new', 'New'), ('under_review', 'Under review'), ('planned', 'Planned'), ('in_progress', 'In progress'), ('shipped', 'Shipped'), ('declined', 'Declined')], max_length=16)),
            ('note', models.TextField(max_length=4000, verbose_name='note')),
            ('note_html', models.TextField(blank=True)),
            ('at', models.DateTimeField(default=django.utils.timezone.now)),
            ('by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ('idea', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='status_changes', to='ideas.idea')),
        ],
        options={
            'db_table': 'forum_ideastatuschange',
            'ordering': ['-at', '-id'],
        },
    ),
    migrations.CreateModel(
        name='IdeaVote',
        fields=[
            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
            ('idea', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='votes', to='ideas.idea')),
            ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='idea_votes', to=settings.AUTH_USER_MODEL)),
        ],
        options={
            'db_table': 'forum_ideavote',
        },
    ),
    migrations.AddIndex(
        model_name='idea',
        index=models.Index(fields=['-vote_count', '-id'], name='idea_votes_idx'),
    ),
    migrations.AddIndex(
        model_name='idea',
        index=models.Index(fields=['-recent_vote_count', '-vote_count', '-id'], name='idea_trending_idx'),
    ),
    migrations.AddIndex(
        model_name='idea',
        index=models.Index(fields=['-created_at', '-id'], name='idea_created_idx'),
    ),
    migrations.AddIndex(
        model_name='idea',
        index=models.Index(fields=['status', '-status_changed_at'], name='idea_status_idx'),
    ),
    migrations.AddIndex(
        model_name='idea',
        index=models.Index(fields=['category', '-vote_count'], name='idea_category_idx'),
    ),
    migrations.AddConstraint(
        model_name='ideaquestionlink',
        constraint=models.UniqueConstraint(fields=('idea', 'question'), name='ideaquestionlink_unique'),
    ),
    migrations.AddConstraint(
        model_name='ideaquestionlink',
        constraint=models.UniqueConstraint(condition=models.Q(('converted', True)), fields=('question',), name='ideaquestionlink_one_conversion'),
    ),
    migrations.AddIndex(
        model_name='ideastatuschange',
        index=models.Index(fields=['idea', '-at'], name='ideastatus_idea_idx'),
    ),
    migrations.AddIndex(
        model_name='ideavote',
        index=models.Index(fields=['created_at', 'idea'], name='ideavote_recent_idx'),
    ),
    migrations.AddIndex(
        model_name='ideavote',
        index=models.Index(fields=['member', '-created_at'], name='ideavote_member_idx'),
    ),
    migrations.AddConstraint(
        model_name='ideavote',
        constraint=models.UniqueConstraint(fields=('idea', 'member'), name='ideavote_one_per_member'),
    ),
]


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('forum', '0006_idea_models_leave_forum'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=STATE_OPERATIONS,
            database_operations=[],
        ),
    ]
