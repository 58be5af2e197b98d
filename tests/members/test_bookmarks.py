"""Bookmarks (issue 19, point 4): a member keeps a question or an idea with a note and an
optional reminder, finds them on a page of their own, and is reminded once when the time
comes — of posts they may still see only."""

import re
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from forum.models import Question
from members.models import Bookmark, Member, Notification
from members.services_bookmarks import bookmark_reminders_send
from moderation.content import ModerationState
from tests.factories import MemberFactory, ModeratorFactory, logged_in
from tests.forum.factories import CategoryFactory, QuestionFactory
from tests.ideas.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def _new_url(obj) -> str:
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("members:bookmark-new", args=[content_type.pk, obj.pk])


def _keep(member: Member, obj, **data: str) -> Bookmark:
    response = logged_in(member).post(_new_url(obj), {"note": "", "remind": "", **data})
    assert response.status_code == 302, response.content.decode()[:2000]
    content_type = ContentType.objects.get_for_model(obj)
    return Bookmark.objects.get(member=member, target_type=content_type, target_id=obj.pk)


def test_a_member_bookmarks_a_question_from_its_page_with_a_reminder():
    member, question = MemberFactory(), QuestionFactory()
    client = logged_in(member)
    page = client.get(question.get_absolute_url()).content.decode()
    link = re.search(r'<a class="button" href="([^"]+)" rel="nofollow">Bookmark</a>', page)
    assert link is not None
    form = client.get(link.group(1).replace("&amp;", "&"))
    assert form.status_code == 200 and question.title in form.content.decode()
    response = client.post(
        link.group(1).replace("&amp;", "&"), {"note": "Try this on Monday", "remind": "tomorrow"}
    )
    assert response.status_code == 302 and response["Location"] == question.get_absolute_url()
    bookmark = Bookmark.objects.get(member=member)
    assert bookmark.target == question and bookmark.note == "Try this on Monday"
    assert timedelta(hours=23) < bookmark.remind_at - timezone.now() <= timedelta(days=1)
    again = client.get(question.get_absolute_url()).content.decode()
    assert reverse("members:bookmark-edit", args=[bookmark.pk]) in again
    assert ">Bookmarked</a>" in again
    # Asking to bookmark it again opens the bookmark they have.
    assert client.get(_new_url(question))["Location"] == reverse(
        "members:bookmark-edit", args=[bookmark.pk]
    )


def test_an_idea_is_bookmarked_from_its_page_too():
    member, idea = MemberFactory(), IdeaFactory()
    page = logged_in(member).get(idea.get_absolute_url()).content.decode()
    assert _new_url(idea) in page
    bookmark = _keep(member, idea)
    assert ">Bookmarked</a>" in logged_in(member).get(idea.get_absolute_url()).content.decode()
    assert bookmark.target == idea


def test_visitors_see_no_bookmark_button_and_are_sent_to_log_in():
    question = QuestionFactory()
    client = Client()
    assert "Bookmark" not in client.get(question.get_absolute_url()).content.decode()
    for url in (reverse("members:bookmarks"), _new_url(question)):
        response = client.get(url)
        assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_the_list_shows_what_the_member_keeps_and_hides_what_they_may_no_longer_see():
    member = MemberFactory()
    shown, hidden, private = QuestionFactory(), QuestionFactory(), QuestionFactory()
    idea = IdeaFactory()
    for obj in (shown, hidden, private, idea):
        _keep(member, obj)
    Question.objects.filter(pk=hidden.pk).update(moderation_state=ModerationState.HIDDEN)
    private.category.ambassadors_only = True
    private.category.save()
    html = logged_in(member).get(reverse("members:bookmarks")).content.decode()
    assert shown.title in html and idea.title in html
    assert hidden.title not in html and private.title not in html
    assert html.count("This post is no longer available.") == 2
    other = logged_in(MemberFactory()).get(reverse("members:bookmarks")).content.decode()
    assert shown.title not in other and "No bookmarks yet." in other


@pytest.mark.parametrize("count", [2, 20])
def test_the_list_costs_the_same_queries_with_2_or_20_bookmarks(
    count, django_assert_max_num_queries
):
    member = MemberFactory()
    category = CategoryFactory()
    for i in range(count):
        _keep(member, QuestionFactory(category=category) if i % 2 else IdeaFactory())
    client = logged_in(member)
    client.get(reverse("members:bookmarks"))
    # member, count, the page of bookmarks, the questions, the ideas
    with django_assert_max_num_queries(6):
        assert client.get(reverse("members:bookmarks")).status_code == 200


@pytest.mark.parametrize(
    "state", ["hidden", "held by someone else", "deleted", "private category", "missing"]
)
def test_nothing_the_member_may_not_see_can_be_bookmarked(state):
    member = MemberFactory()
    question = QuestionFactory()
    url = _new_url(question)
    if state == "hidden":
        Question.objects.filter(pk=question.pk).update(moderation_state=ModerationState.HIDDEN)
    elif state == "held by someone else":
        Question.objects.filter(pk=question.pk).update(moderation_state=ModerationState.HELD)
    elif state == "deleted":
        Question.objects.filter(pk=question.pk).update(deleted_at=timezone.now())
    elif state == "private category":
        question.category.ambassadors_only = True
        question.category.save()
    else:
        question.delete()
    client = logged_in(member)
    assert client.get(url).status_code == 404
    assert client.post(url, {"remind": ""}).status_code == 404
    assert not Bookmark.objects.exists()


def test_only_posts_can_be_bookmarked_not_any_row():
    member = MemberFactory()
    member_type = ContentType.objects.get_for_model(Member)
    client = logged_in(member)
    assert (
        client.get(reverse("members:bookmark-new", args=[member_type.pk, member.pk])).status_code
        == 404
    )
    assert client.get(reverse("members:bookmark-new", args=[999999, 1])).status_code == 404


def test_a_moderator_may_bookmark_a_hidden_question_they_can_see():
    question = QuestionFactory()
    Question.objects.filter(pk=question.pk).update(moderation_state=ModerationState.HIDDEN)
    moderator = ModeratorFactory()
    _keep(moderator, question)
    assert question.title in logged_in(moderator).get(reverse("members:bookmarks")).content.decode()


def test_nobody_else_can_read_change_or_remove_a_bookmark():
    owner, stranger = MemberFactory(), MemberFactory()
    bookmark = _keep(owner, QuestionFactory(), note="Private thoughts")
    client = logged_in(stranger)
    assert client.get(reverse("members:bookmark-edit", args=[bookmark.pk])).status_code == 404
    assert (
        client.post(
            reverse("members:bookmark-edit", args=[bookmark.pk]), {"note": "mine now", "remind": ""}
        ).status_code
        == 404
    )
    assert client.post(reverse("members:bookmark-delete", args=[bookmark.pk])).status_code == 404
    assert Bookmark.objects.get(pk=bookmark.pk).note == "Private thoughts"
    assert client.get(reverse("members:bookmark-delete", args=[bookmark.pk])).status_code == 405


def test_editing_sets_a_dated_reminder_and_removing_deletes():
    member = MemberFactory()
    bookmark = _keep(member, QuestionFactory())
    client = logged_in(member)
    when = (timezone.localtime() + timedelta(days=3)).replace(second=0, microsecond=0)
    response = client.post(
        reverse("members:bookmark-edit", args=[bookmark.pk]),
        {"note": "later", "remind": "at", "remind_at": when.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    bookmark.refresh_from_db()
    assert bookmark.remind_at == when and bookmark.note == "later"
    page = client.get(reverse("members:bookmark-edit", args=[bookmark.pk])).content.decode()
    assert f'value="{when.strftime("%Y-%m-%dT%H:%M")}"' in page  # ISO in every language
    client.post(reverse("members:bookmark-delete", args=[bookmark.pk]))
    assert not Bookmark.objects.filter(pk=bookmark.pk).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"remind": "at", "remind_at": ""}, "Choose the date and time of the reminder."),
        ({"remind": "at", "remind_at": "2001-01-01T10:00"}, "Choose a reminder in the future."),
        ({"remind": "at", "remind_at": "2999-01-01T10:00"}, "Choose a reminder within a year."),
        ({"remind": "at", "remind_at": "next tuesday"}, "Enter a valid date/time."),
        ({"remind": "someday"}, "Select a valid choice."),
        ({"note": "x" * 201}, "at most 200 characters"),
    ],
)
def test_bad_reminders_get_a_clear_message_and_store_nothing(data, message):
    member, question = MemberFactory(), QuestionFactory()
    response = logged_in(member).post(_new_url(question), {"note": "", "remind": "", **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Bookmark.objects.exists()


def test_a_russian_member_sets_a_dated_reminder():
    member = MemberFactory(preferred_language="ru")
    question = QuestionFactory()
    when = (timezone.localtime() + timedelta(days=2)).replace(second=0, microsecond=0)
    client = logged_in(member)
    page = client.get(_new_url(question)).content.decode()
    assert "Напомнить" in page
    response = client.post(
        _new_url(question),
        {"remind": "at", "remind_at": when.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    assert Bookmark.objects.get(member=member).remind_at == when


def test_a_due_reminder_is_sent_once_and_only_about_what_the_member_may_see(
    django_capture_on_commit_callbacks,
):
    member = MemberFactory()
    kept, gone = QuestionFactory(), QuestionFactory()
    later = IdeaFactory()
    now = timezone.now()
    soon = _keep(member, kept, note="check the fix")
    hidden = _keep(member, gone)
    not_yet = _keep(member, later)
    Bookmark.objects.filter(pk__in=[soon.pk, hidden.pk]).update(remind_at=now + timedelta(hours=1))
    Bookmark.objects.filter(pk=not_yet.pk).update(remind_at=now + timedelta(days=5))
    Question.objects.filter(pk=gone.pk).update(deleted_at=now)

    assert bookmark_reminders_send(now=now) == 0  # nothing due yet
    with django_capture_on_commit_callbacks(execute=True):
        assert bookmark_reminders_send(now=now + timedelta(hours=2)) == 1
    notes = list(Notification.objects.filter(recipient=member))
    assert [n.kind for n in notes] == ["bookmark_reminder"]
    assert notes[0].url == kept.get_absolute_url()
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert kept.title in mail.outbox[0].subject and gone.title not in mail.outbox[0].body
    # Once: a second sweep sends nothing, and the hidden one is not sent later either.
    assert bookmark_reminders_send(now=now + timedelta(hours=3)) == 0
    assert Bookmark.objects.filter(reminded_at__isnull=False).count() == 2
    # A new date is a new reminder.
    client = logged_in(member)
    when = timezone.localtime(now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    client.post(
        reverse("members:bookmark-edit", args=[soon.pk]), {"remind": "at", "remind_at": when}
    )
    assert Bookmark.objects.get(pk=soon.pk).reminded_at is None
    assert bookmark_reminders_send(now=now + timedelta(days=2)) == 1
    page = client.get(reverse("members:notifications")).content.decode()
    assert f"Reminder: {kept.title}" in page
