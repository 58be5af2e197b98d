"""A member who may not post now is told so where the forms would be, and a post refused on
submit comes back in its form with the reason and the text they typed (issue 21, defect 1);
a new member is told before asking that their first posts wait for a moderator (defect 2)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.models import Answer, Comment, Question
from members.models import Member
from tests.factories import MemberFactory
from tests.forum.factories import CategoryFactory, QuestionFactory
from tests.html import squeezed

pytestmark = pytest.mark.django_db

TEXT = "A careful answer that took a while to write <and> must not be lost."


@pytest.fixture
def silenced(client):
    member = MemberFactory(silenced_until=timezone.now() + timedelta(days=2))
    client.force_login(member)
    return member


def test_a_silenced_member_sees_why_instead_of_the_answer_and_comment_forms(client, silenced):
    question = QuestionFactory()
    page = client.get(question.get_absolute_url()).content.decode()
    assert "You are silenced and cannot post until" in page
    assert 'id="id_answer_body"' not in page
    assert reverse("forum:comment-create", args=["question", question.pk]) not in page


def test_a_refused_answer_comes_back_with_its_text_and_the_reason(client, silenced):
    question = QuestionFactory()
    response = client.post(reverse("forum:answer-create", args=[question.pk]), {"body": TEXT})
    page = response.content.decode()
    assert response.status_code == 403
    assert "You are silenced and cannot post until" in page
    assert "A careful answer that took a while to write &lt;and&gt; must not be lost." in page
    assert reverse("forum:answer-create", args=[question.pk]) in page  # post it again later
    assert not Answer.objects.exists()


def test_a_refused_comment_comes_back_with_its_text_and_the_reason(client, silenced):
    question = QuestionFactory()
    url = reverse("forum:comment-create", args=["question", question.pk])
    response = client.post(url, {"body": "Which plan are you on?"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "You are silenced and cannot post until" in page
    assert "Which plan are you on?</textarea>" in page and f'action="{url}"' in page
    assert not Comment.objects.exists()


def test_a_silenced_member_is_told_on_the_ask_page_and_a_refused_question_keeps_its_text(
    client, silenced
):
    category = CategoryFactory()
    url = reverse("forum:question-ask")
    page = client.get(url).content.decode()
    assert "You are silenced and cannot post until" in page
    assert 'name="title"' not in page  # no form to fill in for nothing
    data = {
        "title": "Exports stop at 10,000 rows",
        "body": "Every export I make stops at exactly 10,000 rows.",
        "category": category.slug,
        "tags": "export",
    }
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 403
    assert "You are silenced and cannot post until" in page
    assert 'value="Exports stop at 10,000 rows"' in page
    assert "Every export I make stops at exactly 10,000 rows." in page
    assert not Question.objects.exists()


def test_an_invalid_comment_also_comes_back_in_its_form(member_client):
    question = QuestionFactory()
    url = reverse("forum:comment-create", args=["question", question.pk])
    response = member_client.post(url, {"body": ""})
    assert response.status_code == 400
    assert f'action="{url}"' in response.content.decode()


def test_a_new_member_is_told_before_asking_that_first_posts_are_reviewed(client, settings):
    settings.VECHE_TRUST_NEW_HELD_POSTS = 3
    newcomer = MemberFactory(trust_level=Member.TrustLevel.NEW)
    client.force_login(newcomer)
    page = squeezed(client.get(reverse("forum:question-ask")).content.decode())
    assert "Your next 3 posts will be reviewed by a moderator before others can see them" in page
    QuestionFactory(author=newcomer)  # published: two left
    page = squeezed(client.get(reverse("forum:question-ask")).content.decode())
    assert "Your next 2 posts will be reviewed" in page


def test_a_regular_member_gets_no_review_notice(member_client):
    page = member_client.get(reverse("forum:question-ask")).content.decode()
    assert "will be reviewed by a moderator" not in page
