"""Mentions in questions, answers and comments (docs/mentions.md): a mentioned member is told
once per post, on posting or on the edit that adds the mention, only if they may read the post
(held, ambassador-only, deleted), never the author; within the rate limits."""

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.models import Answer, Comment, Question
from members.models import Mention, OutboundEmail
from moderation import services as moderation
from moderation.content import ModerationState
from moderation.models import QueueItem
from tests.factories import MemberFactory
from tests.forum.factories import QuestionFactory

pytestmark = pytest.mark.django_db


def _ask(client, body: str, category: str = "billing") -> Question:
    response = client.post(
        reverse("forum:question-ask"),
        {"title": "How do refunds work for annual plans?", "body": body, "category": category},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return Question.objects.latest("pk")


def _edit_question(client, question: Question, body: str) -> None:
    response = client.post(
        reverse("forum:question-edit", args=[question.pk]),
        {"title": question.title, "body": body, "tags": "", "reason": ""},
    )
    assert response.status_code == 302, response.content.decode()[:500]


def _mentions(member) -> int:
    return member.notifications.filter(kind="mention").count()


def test_a_mention_notifies_once_and_an_edit_that_keeps_it_does_not_again(
    member_client, member, category
):
    hanna = MemberFactory(username="hanna", email_preferences={"mention": True})
    question = _ask(member_client, "Hi @hanna, could you explain refunds for annual plans?")
    notification = hanna.notifications.get(kind="mention")
    assert notification.url == question.get_absolute_url()
    assert notification.actor == member and notification.target == question
    assert OutboundEmail.objects.filter(to=hanna.email).count() == 1
    _edit_question(
        member_client, question, "Hi @hanna and @Hanna, could you explain refunds again?"
    )
    assert _mentions(hanna) == 1
    assert OutboundEmail.objects.filter(to=hanna.email).count() == 1
    page = member_client.get(reverse("members:notifications")).content.decode()
    assert "mentioned you" not in page  # the author's own list
    member_client.force_login(hanna)
    page = member_client.get(reverse("members:notifications")).content.decode()
    assert f"{member.name} mentioned you in “{question.title}”" in page


def test_an_edit_that_adds_a_mention_tells_only_the_new_member(member_client, category):
    hanna, igor = MemberFactory(username="hanna"), MemberFactory(username="igor")
    question = _ask(member_client, "Hi @hanna, could you explain refunds for annual plans?")
    _edit_question(member_client, question, "Hi @hanna, could you explain refunds? cc @igor")
    assert (_mentions(hanna), _mentions(igor)) == (1, 1)


def test_mentioning_oneself_or_an_unknown_name_tells_nobody(member_client, member, category):
    _ask(member_client, f"Note to self @{member.username}, and to @nobody_at_all here.")
    assert not Mention.objects.exists() and not member.notifications.exists()


def test_a_banned_or_inactive_member_is_not_told(member_client, category):
    banned = MemberFactory(username="banned_bo", banned_at=timezone.now())
    gone = MemberFactory(username="gone_gus", is_active=False)
    _ask(member_client, "Asking @banned_bo and @gone_gus about refunds of annual plans.")
    assert not banned.notifications.exists() and not gone.notifications.exists()


def test_nobody_who_cannot_enter_an_ambassador_only_category_is_told(
    client, ambassador, private_category
):
    regular = MemberFactory(username="regular_rae")
    fellow = MemberFactory(username="fellow_amb", badge="ambassador")
    client.force_login(ambassador)
    _ask(client, "Asking @regular_rae and @fellow_amb about the lounge.", category="lounge")
    assert _mentions(regular) == 0
    assert _mentions(fellow) == 1
    assert list(Mention.objects.values_list("member__username", flat=True)) == ["fellow_amb"]


def test_a_held_post_tells_nobody_until_it_is_approved(client, new_member, moderator, category):
    watcher = MemberFactory(username="watcher_wu")
    moderator.username = "mod_mo"
    moderator.save()
    client.force_login(new_member)
    question = _ask(client, "Hello @watcher_wu and @mod_mo, how do refunds work for annual plans?")
    assert question.moderation_state == ModerationState.HELD
    # The author edits it while it waits: the moderator may read it, but it is nobody's yet.
    _edit_question(client, question, "Hello @watcher_wu and @mod_mo, how do refunds work here?")
    assert _mentions(watcher) == 0 and _mentions(moderator) == 0
    item = QueueItem.objects.get(queue="approval", resolved_at__isnull=True)
    moderation.queue_item_approve(actor=moderator, item=item)
    assert _mentions(watcher) == 1 and _mentions(moderator) == 1


def test_answers_and_comments_mention_on_posting_and_on_editing(member_client, member, category):
    question = QuestionFactory(category=category)
    hanna, igor = MemberFactory(username="hanna"), MemberFactory(username="igor")
    member_client.post(
        reverse("forum:answer-create", args=[question.pk]),
        {"body": "Try the billing page, @hanna knows it well."},
    )
    answer = Answer.objects.get()
    assert hanna.notifications.get(kind="mention").url == answer.get_absolute_url()
    member_client.post(
        reverse("forum:post-edit", kwargs={"kind": "answer", "pk": answer.pk}),
        {"body": "Try the billing page, @hanna and @igor know it well.", "reason": ""},
    )
    assert (_mentions(hanna), _mentions(igor)) == (1, 1)
    member_client.post(
        reverse("forum:comment-create", args=["answer", answer.pk]), {"body": "Thanks all!"}
    )
    comment = Comment.objects.get()
    member_client.post(
        reverse("forum:post-edit", kwargs={"kind": "comment", "pk": comment.pk}),
        {"body": "Thanks @igor!", "reason": ""},
    )
    assert _mentions(igor) == 2
    assert igor.notifications.filter(kind="mention").first().url.endswith(f"#comment-{comment.pk}")


def test_a_post_notifies_at_most_the_per_post_limit_and_links_every_name(
    member_client, category, settings
):
    settings.VECHE_MENTIONS_PER_POST = 2
    told = [MemberFactory(username=f"crowd{i}") for i in range(3)]
    question = _ask(member_client, "Asking @crowd0 @crowd1 @crowd2 about annual refunds.")
    assert [_mentions(m) for m in told] == [1, 1, 0]
    assert question.body_html.count('class="mention"') == 3
    # Still the limit after an edit: the third stays untold.
    _edit_question(member_client, question, "Asking @crowd0 @crowd1 @crowd2 about refunds again.")
    assert [_mentions(m) for m in told] == [1, 1, 0]


def test_a_member_notifies_at_most_the_hourly_limit(member_client, category, settings):
    settings.VECHE_MENTIONS_PER_HOUR = 3
    told = [MemberFactory(username=f"crowd{i}") for i in range(5)]
    _ask(member_client, "Asking @crowd0 @crowd1 about annual refunds, part one.")
    _ask(member_client, "Asking @crowd2 @crowd3 @crowd4 about annual refunds, part two.")
    assert [_mentions(m) for m in told] == [1, 1, 1, 0, 0]
    Mention.objects.update(created_at=timezone.now() - timezone.timedelta(hours=2))
    second = Question.objects.latest("pk")
    _edit_question(member_client, second, "Asking @crowd2 @crowd3 @crowd4 about refunds, again.")
    assert [_mentions(m) for m in told] == [1, 1, 1, 1, 1]
