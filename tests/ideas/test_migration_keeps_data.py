"""Moving the idea board from forum to ideas changes no row: the tables keep their names and
the content types keep their ids, so everything pointing at an idea still does.

The database is migrated back to before the move (forum 0005, no ideas app), filled through
the historical models, and migrated forward again; it is left at the latest migration."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from forum.models import Comment, Follow, Question
from ideas.models import Idea, IdeaQuestionLink, IdeaStatusChange, IdeaVote
from moderation.models import QueueItem

BEFORE = [("forum", "0005_idea_search_gin"), ("ideas", None)]
MOVED = ["idea", "ideavote", "ideastatuschange", "ideaquestionlink"]


def _migrate(targets=None) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


def _seed_before_the_move() -> dict:
    """Ideas with votes, a merge, status history, a question link, a follow, a comment and a
    moderation queue item, written with the models as they were inside forum."""
    graph = MigrationExecutor(connection).loader.graph
    nodes = [n for n in graph.leaf_nodes() if n[0] not in ("forum", "ideas")] + [BEFORE[0]]
    apps = MigrationExecutor(connection).loader.project_state(nodes).apps
    with pytest.raises(LookupError):
        apps.get_app_config("ideas").get_model("idea")
    Member = apps.get_model("members", "Member")
    CT = apps.get_model("contenttypes", "ContentType")
    Category = apps.get_model("forum", "Category")
    Q = apps.get_model("forum", "Question")
    OldIdea = apps.get_model("forum", "Idea")
    now = timezone.now()

    author = Member.objects.create(username="author", email="author@example.com")
    fan = Member.objects.create(username="fan", email="fan@example.com")
    staff = Member.objects.create(username="staff", email="staff@example.com", is_staff=True)
    category = Category.objects.create(name="Billing", slug="billing")
    question = Q.objects.create(author=author, category=category, title="Export?", body="How?")
    keep = OldIdea.objects.create(
        title="Export reports", description="CSV", category=category, author=author
    )
    dupe = OldIdea.objects.create(
        title="Export to CSV", description="Same", category=category, author=fan, merged_into=keep
    )
    apps.get_model("forum", "IdeaVote").objects.bulk_create(
        [
            apps.get_model("forum", "IdeaVote")(idea=keep, member=author),
            apps.get_model("forum", "IdeaVote")(idea=keep, member=fan),
        ]
    )
    apps.get_model("forum", "IdeaStatusChange").objects.create(
        idea=keep, from_status="new", to_status="planned", note="Next quarter", by=staff, at=now
    )
    apps.get_model("forum", "IdeaQuestionLink").objects.create(
        idea=keep, question=question, linked_by=staff, converted=True
    )
    idea_ct, _ = CT.objects.get_or_create(app_label="forum", model="idea")
    follow = apps.get_model("forum", "Follow").objects.create(
        member=fan, target_type=idea_ct, target_id=keep.pk
    )
    comment = apps.get_model("forum", "Comment").objects.create(
        author=fan, target_type=idea_ct, target_id=keep.pk, body="Yes!", body_html="<p>Yes!</p>"
    )
    item = apps.get_model("moderation", "QueueItem").objects.create(
        queue="new_ideas", target_type=idea_ct, target_id=keep.pk, member=author
    )
    return {
        "cts": dict(
            CT.objects.filter(app_label="forum", model__in=MOVED).values_list("model", "pk")
        ),
        "keep": keep.pk,
        "dupe": dupe.pk,
        "question": question.pk,
        "follow": follow.pk,
        "comment": comment.pk,
        "item": item.pk,
        "staff": staff.pk,
        "author": author.pk,
        "fan": fan.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_moving_the_idea_models_to_the_ideas_app_keeps_every_row():
    try:
        _migrate(BEFORE)
        before = _seed_before_the_move()
    finally:
        _migrate()  # the database is left at the latest migration whatever happened

    # The content types are the same rows, relabelled: same ids, now ideas.*.
    after = {ct.model: ct.pk for ct in ContentType.objects.filter(model__in=MOVED)}
    assert after == before["cts"] and set(after) == set(MOVED)
    assert not ContentType.objects.filter(app_label="forum", model__in=MOVED).exists()
    idea_ct = ContentType.objects.get_for_model(Idea)
    assert idea_ct.pk == before["cts"]["idea"] and idea_ct.app_label == "ideas"
    perms = Permission.objects.filter(content_type=idea_ct)
    assert {p.codename for p in perms} >= {"add_idea", "change_idea", "view_idea"}

    # Every row is there under the same id.
    keep = Idea.objects.get(pk=before["keep"])
    dupe = Idea.objects.get(pk=before["dupe"])
    assert Idea.objects.count() == 2 and dupe.merged_into == keep
    assert keep.title == "Export reports" and keep.author_id == before["author"]
    assert sorted(IdeaVote.objects.filter(idea=keep).values_list("member_id", flat=True)) == sorted(
        [before["author"], before["fan"]]
    )
    assert IdeaVote.objects.count() == 2
    change = IdeaStatusChange.objects.get()
    assert (change.idea, change.to_status, change.by_id) == (keep, "planned", before["staff"])
    link = IdeaQuestionLink.objects.get()
    assert link.idea == keep and link.question == Question.objects.get(pk=before["question"])
    assert link.converted

    # Generic foreign keys resolve to the ideas app's model.
    follow = Follow.objects.get(pk=before["follow"])
    comment = Comment.objects.get(pk=before["comment"])
    item = QueueItem.objects.get(pk=before["item"])
    for row in (follow, comment, item):
        assert row.target_type_id == idea_ct.pk
        assert isinstance(row.target, Idea) and row.target.pk == keep.pk


@pytest.mark.django_db(transaction=True)
def test_empty_content_types_made_between_the_two_ideas_migrations_give_way():
    """``migrate ideas 0001`` alone lets Django create new, unused ideas.* content types; the
    renaming drops them so the rows the data points at keep their ids."""
    try:
        _migrate(BEFORE)
        before = _seed_before_the_move()
        _migrate([("ideas", "0001_initial")])
        fresh = ContentType.objects.create(app_label="ideas", model="idea")
        Permission.objects.create(content_type=fresh, codename="add_idea", name="Can add idea")
    finally:
        _migrate()
    idea_ct = ContentType.objects.get_for_model(Idea)
    assert idea_ct.pk == before["cts"]["idea"]
    assert not ContentType.objects.filter(pk=fresh.pk).exists()
    assert Follow.objects.get(pk=before["follow"]).target.pk == before["keep"]
    assert Permission.objects.filter(content_type=idea_ct, codename="add_idea").count() == 1
