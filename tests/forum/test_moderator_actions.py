import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from forum.models import Answer, Comment, Question, Revision, Tag
from moderation.content import ModerationState
from moderation.models import AuditLogEntry
from tests.factories import MemberFactory, logged_in
from tests.forum.factories import (
    AnswerFactory,
    CategoryFactory,
    CommentFactory,
    QuestionFactory,
)

pytestmark = pytest.mark.django_db

LOCKED_NOTICE = "This question is locked: no new answers or comments."


def audit_actions() -> list[str]:
    """The audit log's actions in the order they were written."""
    return list(AuditLogEntry.objects.order_by("pk").values_list("action", flat=True))


def test_author_edits_own_question_and_revisions_show_a_diff(client, member):
    question = QuestionFactory(
        author=member, title="Original title of the question", body="Original body text here."
    )
    client.force_login(member)
    response = client.post(
        reverse("forum:question-edit", args=[question.pk]),
        {
            "title": "Better title of the question",
            "body": "Improved body text here.",
            "tags": "exports",
            "reason": "clarify",
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.title == "Better title of the question" and question.edited_at
    assert list(Revision.objects.values_list("number", flat=True)) == [1, 2]
    assert audit_actions() == []  # the author's own edit is not a moderation action
    page = client.get(reverse("forum:revisions", args=["question", question.pk]))
    body = page.content.decode()
    assert "diff-del" in body and "Original body text here." in body
    assert "diff-add" in body and "Improved body text here." in body


def test_member_cannot_edit_someone_elses_post(client):
    # A new member (below the suggest level, docs/privileges.md): a regular's edit becomes a
    # suggestion instead (tests/forum/test_privileges.py).
    client.force_login(MemberFactory(trust_level=0))
    member_client = client
    question = QuestionFactory(title="Someone else's question title")
    response = member_client.post(
        reverse("forum:question-edit", args=[question.pk]),
        {"title": "Vandalised title here", "body": "Vandalised body text here."},
    )
    assert response.status_code == 403
    question.refresh_from_db()
    assert question.title == "Someone else's question title"
    answer = AnswerFactory()
    assert (
        member_client.post(
            reverse("forum:post-edit", args=["answer", answer.pk]), {"body": "changed"}
        ).status_code
        == 403
    )


def test_moderator_edits_any_answer_and_comment_with_audit(moderator_client, moderator):
    answer = AnswerFactory(body="Old answer body")
    comment = CommentFactory(target=answer.question, body="Old comment")
    moderator_client.post(
        reverse("forum:post-edit", args=["answer", answer.pk]),
        {"body": "New answer body", "reason": "spam link"},
    )
    moderator_client.post(
        reverse("forum:post-edit", args=["comment", comment.pk]), {"body": "New comment"}
    )
    answer.refresh_from_db()
    comment.refresh_from_db()
    assert answer.body == "New answer body" and comment.body == "New comment"
    assert audit_actions() == ["forum.answer_edit", "forum.comment_edit"]
    answer_entry, comment_entry = AuditLogEntry.objects.order_by("pk")
    assert answer_entry.actor == moderator and answer_entry.reason == "spam link"
    assert (answer_entry.target_id, answer_entry.member) == (answer.pk, answer.author)
    assert (comment_entry.actor, comment_entry.target_id) == (moderator, comment.pk)
    assert Revision.objects.filter(target_id=answer.pk, number=1, body="Old answer body").exists()


def test_moderator_locks_and_unlocks(moderator, member):
    """A locked question is stored, shown and written to the audit log; members can no longer
    answer or comment (the forms are gone and a direct POST is refused); unlocking restores
    all of it."""
    question = QuestionFactory(title="A question that became heated")
    answer = AnswerFactory(question=question)
    mod, reader = logged_in(moderator), logged_in(member)
    url = reverse("forum:question-lock", args=[question.pk])
    unlock_url = reverse("forum:question-unlock", args=[question.pk])
    answer_url = reverse("forum:answer-create", args=[question.pk])
    comment_urls = [
        reverse("forum:comment-create", args=["question", question.pk]),
        reverse("forum:comment-create", args=["answer", answer.pk]),
    ]
    assert reader.post(url).status_code == 403  # a member has no right to lock
    question.refresh_from_db()
    assert not question.is_locked and audit_actions() == []

    locked = mod.post(url, {"reason": "heated"})
    assert locked.status_code == 302 and locked["Location"] == question.get_absolute_url()
    question.refresh_from_db()
    assert question.is_locked
    entry = AuditLogEntry.objects.get()
    assert (entry.action, entry.actor, entry.reason) == ("forum.question_lock", moderator, "heated")
    assert entry.target_type == ContentType.objects.get_for_model(Question)
    assert (entry.target_id, entry.member) == (question.pk, question.author)

    page = reader.get(question.get_absolute_url()).content.decode()
    assert LOCKED_NOTICE in page
    assert "Post your answer" not in page and "Add a comment" not in page
    assert ">Lock<" not in page and ">Unlock<" not in page  # no moderator tools for members
    assert ">Unlock</button>" in mod.get(question.get_absolute_url()).content.decode()
    refused = reader.post(answer_url, {"body": "An answer to a locked question."})
    assert refused.status_code == 403
    for comment_url in comment_urls:
        assert (
            reader.post(comment_url, {"body": "A comment on a locked question"}).status_code == 403
        )
    assert reader.post(unlock_url).status_code == 403  # nor to unlock
    question.refresh_from_db()
    assert question.is_locked
    assert list(question.answers.all()) == [answer] and not Comment.objects.exists()

    mod.post(unlock_url)
    question.refresh_from_db()
    assert not question.is_locked
    assert audit_actions() == ["forum.question_lock", "forum.question_unlock"]
    assert AuditLogEntry.objects.order_by("pk").last().actor == moderator
    page = reader.get(question.get_absolute_url()).content.decode()
    assert LOCKED_NOTICE not in page
    assert "Post your answer" in page and "Add a comment" in page
    assert ">Lock</button>" in mod.get(question.get_absolute_url()).content.decode()
    assert reader.post(answer_url, {"body": "An answer once it is unlocked."}).status_code == 302
    for comment_url in comment_urls:
        assert reader.post(comment_url, {"body": "A comment once unlocked"}).status_code == 302
    assert question.answers.count() == 2 and Comment.objects.count() == 2


def test_member_cannot_lock(member_client):
    question = QuestionFactory()
    assert member_client.post(reverse("forum:question-lock", args=[question.pk])).status_code == 403
    question.refresh_from_db()
    assert not question.is_locked


def test_moderator_moves_a_question(moderator_client, moderator):
    question = QuestionFactory()
    target = CategoryFactory(slug="mobile")
    assert (
        moderator_client.get(reverse("forum:question-move", args=[question.pk])).status_code == 200
    )
    moderator_client.post(
        reverse("forum:question-move", args=[question.pk]), {"category": "mobile"}
    )
    question.refresh_from_db()
    assert question.category == target
    entry = AuditLogEntry.objects.get()
    assert (entry.action, entry.actor, entry.target_id) == (
        "forum.question_move",
        moderator,
        question.pk,
    )
    bad = moderator_client.post(
        reverse("forum:question-move", args=[question.pk]), {"category": "nope"}
    )
    assert bad.status_code == 400
    question.refresh_from_db()
    assert question.category == target and audit_actions() == ["forum.question_move"]


def test_member_cannot_move(member_client):
    question = QuestionFactory()
    CategoryFactory(slug="mobile")
    response = member_client.post(
        reverse("forum:question-move", args=[question.pk]), {"category": "mobile"}
    )
    assert response.status_code == 403


def test_moderator_closes_as_duplicate_and_reopens(moderator_client, moderator):
    original = QuestionFactory(title="The original question about exports")
    copy = QuestionFactory()
    moderator_client.post(
        reverse("forum:question-duplicate", args=[copy.pk]), {"duplicate_of": original.pk}
    )
    copy.refresh_from_db()
    assert copy.duplicate_of == original and copy.is_closed
    page = moderator_client.get(copy.get_absolute_url()).content.decode()
    assert "Closed as a duplicate of" in page and original.get_absolute_url() in page
    entry = AuditLogEntry.objects.get()
    assert (entry.action, entry.actor, entry.target_id) == (
        "forum.question_close_duplicate",
        moderator,
        copy.pk,
    )
    itself = moderator_client.post(
        reverse("forum:question-duplicate", args=[original.pk]), {"duplicate_of": original.pk}
    )
    assert itself.status_code == 400
    missing = moderator_client.post(
        reverse("forum:question-duplicate", args=[original.pk]), {"duplicate_of": 999999}
    )
    assert missing.status_code == 400
    moderator_client.post(reverse("forum:question-reopen", args=[copy.pk]))
    copy.refresh_from_db()
    assert copy.duplicate_of is None and not copy.is_closed
    # The refused attempts wrote nothing; reopening is logged too.
    assert audit_actions() == ["forum.question_close_duplicate", "forum.question_reopen"]


def test_member_cannot_close_as_duplicate(member_client):
    original, copy = QuestionFactory(), QuestionFactory()
    response = member_client.post(
        reverse("forum:question-duplicate", args=[copy.pk]), {"duplicate_of": original.pk}
    )
    assert response.status_code == 403
    copy.refresh_from_db()
    assert copy.duplicate_of is None


def test_soft_delete_and_restore_by_staff(client, member, moderator):
    tag = Tag.objects.create(name="api", slug="api", question_count=1)
    question = QuestionFactory(tags=[tag])
    answer = AnswerFactory(question=question)
    Question.objects.filter(pk=question.pk).update(answer_count=1)
    comment = CommentFactory(target=question)
    client.force_login(moderator)
    for kind, obj in (("comment", comment), ("answer", answer), ("question", question)):
        client.post(reverse("forum:post-delete", args=[kind, obj.pk]), {"reason": "spam"})
    assert Question.objects.get().deleted_at and Answer.objects.get().deleted_at
    assert Comment.objects.get().deleted_at
    tag.refresh_from_db()
    assert tag.question_count == 0
    assert client.get(question.get_absolute_url()).status_code == 200  # moderators still see
    client.force_login(member)
    assert client.get(question.get_absolute_url()).status_code == 404
    assert (
        client.post(reverse("forum:post-restore", args=["question", question.pk])).status_code
        == 404
    )
    client.force_login(moderator)
    client.post(reverse("forum:post-restore", args=["question", question.pk]))
    client.post(reverse("forum:post-restore", args=["answer", answer.pk]))
    question.refresh_from_db()
    tag.refresh_from_db()
    assert question.deleted_at is None and question.answer_count == 1
    assert tag.question_count == 1
    assert audit_actions() == [
        "forum.comment_delete",
        "forum.answer_delete",
        "forum.question_delete",
        "forum.question_restore",
        "forum.answer_restore",
    ]
    assert set(AuditLogEntry.objects.values_list("actor", flat=True)) == {moderator.pk}
    deletions = AuditLogEntry.objects.filter(action__endswith="_delete")
    assert set(deletions.values_list("reason", flat=True)) == {"spam"}


def test_author_deletes_own_answer_but_not_others(client, member):
    own = AnswerFactory(author=member)
    other = AnswerFactory()
    client.force_login(member)
    client.post(reverse("forum:post-delete", args=["answer", own.pk]))
    assert client.post(reverse("forum:post-delete", args=["answer", other.pk])).status_code == 403
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.deleted_at and other.deleted_at is None


def test_moderation_includes_are_next_to_each_post(client, monkeypatch, tmp_path, settings):
    question = QuestionFactory()
    AnswerFactory(question=question)
    CommentFactory(target=question)
    body = client.get(question.get_absolute_url()).content.decode()
    # The includes exist (empty until the moderation app fills them); the page renders.
    assert f'id="question-{question.pk}"' in body


def test_a_duplicate_never_names_an_original_its_readers_may_not_see(moderator_client, moderator):
    """The banner would publish the original's title (issue 15, row 10)."""
    lounge = CategoryFactory(slug="lounge", ambassadors_only=True)
    private = QuestionFactory(title="Secret roadmap preview", category=lounge)
    hidden = QuestionFactory(title="A hidden question")
    Question.objects.filter(pk=hidden.pk).update(moderation_state=ModerationState.HIDDEN)
    public = QuestionFactory()
    url = reverse("forum:question-duplicate", args=[public.pk])
    for original in (private, hidden):
        response = moderator_client.post(url, {"duplicate_of": original.pk})
        assert response.status_code == 400
        assert "everyone who can read this one" in response.content.decode()
    public.refresh_from_db()
    assert public.duplicate_of is None and not public.is_closed
    assert not AuditLogEntry.objects.exists()
    # Inside the private category, a private original is fine: the readers are the same.
    sibling = QuestionFactory(category=lounge)
    moderator.badge = "ambassador"
    moderator.save(update_fields=["badge"])
    moderator_client.post(
        reverse("forum:question-duplicate", args=[sibling.pk]), {"duplicate_of": private.pk}
    )
    sibling.refresh_from_db()
    assert sibling.duplicate_of == private
