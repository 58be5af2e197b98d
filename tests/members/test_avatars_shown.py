"""Avatars beside names on the lists and post pages: the uploaded picture or the generated
letters, from the member columns the pages already load. The query counts are the pages' own
pins (tests/forum/test_query_counts.py, tests/members/test_profile.py, tests/ideas/
test_lists.py): showing avatars adds none."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from members.models import Member
from tests.factories import MemberFactory
from tests.forum.factories import AnswerFactory, QuestionFactory, TagFactory
from tests.forum.test_query_counts import view_counter_queries
from tests.ideas.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def picture_of(member: Member) -> str:
    return f"{member.pk:024x}"


def give_pictures(members) -> None:
    """Every other member gets a picture (the key is enough for the markup)."""
    for i, member in enumerate(members):
        if i % 2 == 0:
            Member.objects.filter(pk=member.pk).update(avatar=picture_of(member))


def img(member: Member, px: int = 48) -> str:
    return f'src="/uploads/avatars/{picture_of(member)}/{px}.webp" alt="{member.name}"'


def letters(member: Member, size: str = "small") -> str:
    classes = f"avatar avatar-{size}" if size else "avatar"
    return (
        f'class="{classes} avatar-c{member.pk % 10}" role="img" '
        f'aria-label="{member.name}">{member.name[0].upper()}</span>'
    )


def shown(member: Member, size: str = "small") -> str:
    """The avatar markup expected for ``member``: their picture, or their letters."""
    member.refresh_from_db()
    return img(member, 128 if size == "large" else 48) if member.avatar else letters(member, size)


@pytest.fixture
def thread(request):
    """A question with ``n`` answers, ``n`` more questions; half of the authors with pictures."""
    n = request.param
    tag = TagFactory(slug="sso")
    question = QuestionFactory(tags=[tag])
    answers = [AnswerFactory(question=question) for _ in range(n)]
    others = [QuestionFactory(tags=[tag]) for _ in range(n)]
    give_pictures([question.author, *(a.author for a in answers), *(q.author for q in others)])
    return question, answers, others


def test_generated_letters_carry_the_name_and_a_colour_from_the_id(client):
    question = QuestionFactory()
    author = question.author
    html = client.get(reverse("forum:question-list")).content.decode()
    assert letters(author) in html
    # the avatar links to the profile and opens the user card with htmx
    card = reverse("members:card", args=[author.username])
    assert re.search(
        rf'<a class="avatar-link" href="{author.get_absolute_url()}" hx-get="{card}"', html
    )


@pytest.mark.parametrize("thread", [5, 40], indirect=True)
def test_question_list_shows_avatars_with_its_pinned_queries(
    member_client, thread, django_assert_num_queries
):
    question, answers, others = thread
    url = reverse("forum:question-list")
    member_client.get(url)
    with django_assert_num_queries(5):  # the list's pin (tests/forum/test_query_counts.py)
        html = member_client.get(url, {"status": "unsolved", "sort": "active"}).content.decode()
    latest = others[-2:]  # on the first page whatever the count
    assert all(shown(q.author) in html for q in latest)
    assert any(img(q.author) in html for q in latest)


@pytest.mark.parametrize("thread", [5, 40], indirect=True)
def test_question_page_shows_avatars_with_its_pinned_queries(
    member_client, thread, django_assert_num_queries
):
    question, answers, others = thread
    member_client.get(question.get_absolute_url())
    with django_assert_num_queries(3 + view_counter_queries()):  # the page's pin
        html = member_client.get(question.get_absolute_url()).content.decode()
    assert img(question.author) in html  # the asker, beside "Asked by"
    assert img(answers[1].author) in html and letters(answers[0].author) in html


@pytest.mark.parametrize("thread", [5, 40], indirect=True)
def test_question_page_for_visitors_shows_avatars_with_its_pinned_queries(
    client, thread, no_page_cache, django_assert_num_queries
):
    question, answers, others = thread
    client.get(question.get_absolute_url())
    with django_assert_num_queries(5 + view_counter_queries()):
        html = client.get(question.get_absolute_url()).content.decode()
    assert img(answers[1].author) in html


@pytest.mark.parametrize("count", [5, 50])
def test_directory_shows_avatars_with_its_pinned_queries(client, django_assert_num_queries, count):
    members = [MemberFactory() for _ in range(count)]
    give_pictures(members)
    with django_assert_num_queries(4):  # tests/members/test_profile.py's pin
        html = client.get(reverse("members:directory")).content.decode()
    assert shown(members[-1], "") in html and shown(members[-2], "") in html
    assert any(img(m) in html for m in members[-2:])


@pytest.mark.parametrize("count", [3, 25])
def test_idea_list_shows_avatars_with_its_pinned_queries(
    client, member, django_assert_num_queries, count
):
    ideas = [IdeaFactory() for _ in range(count)]
    give_pictures([idea.author for idea in ideas])
    client.force_login(member)
    client.get("/")
    with django_assert_num_queries(5):  # tests/ideas/test_lists.py's pin
        html = client.get(reverse("ideas:idea-list"), {"sort": "newest"}).content.decode()
    assert shown(ideas[-1].author) in html and shown(ideas[-2].author) in html


def test_idea_page_shows_the_authors_picture(client):
    idea = IdeaFactory()
    give_pictures([idea.author])
    assert img(idea.author) in client.get(idea.get_absolute_url()).content.decode()


def test_a_deleted_author_shows_a_question_mark_and_no_link(client):
    question = QuestionFactory()
    Member.objects.filter(pk=question.author_id).update(avatar="", deleted_at="2026-01-01T00:00Z")
    html = Client().get(question.get_absolute_url()).content.decode()
    assert 'aria-hidden="true">?</span>' in html
    assert reverse("members:card", args=[question.author.username]) not in html


def test_profile_and_account_menu_show_the_picture(client, member):
    give_pictures([member])
    member.refresh_from_db()
    client.force_login(member)
    html = client.get(member.get_absolute_url()).content.decode()
    assert f'src="/uploads/avatars/{picture_of(member)}/128.webp" alt=""' in html  # beside h1
    assert f'src="/uploads/avatars/{picture_of(member)}/48.webp" alt=""' in html  # menu
