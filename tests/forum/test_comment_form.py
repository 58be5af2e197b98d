"""The comment form comes when asked for: the question page carries an "Add a comment" link
under each post (no form, no text box per post), htmx loads the form in place, and without
JavaScript the link opens it as a page. The form is the site's Markdown editor (uploads,
preview, the @ picker), like every other post form."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.models import Comment
from tests.factories import MemberFactory
from tests.forum.factories import AnswerFactory, CategoryFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def _add(kind: str, pk: int) -> str:
    return reverse("forum:comment-create", args=[kind, pk])


def test_the_question_page_links_to_the_comment_form_instead_of_carrying_one(client):
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    client.force_login(MemberFactory())
    page = client.get(question.get_absolute_url()).content.decode()
    for kind, pk in (("question", question.pk), ("answer", answer.pk)):
        assert f'<a href="{_add(kind, pk)}">Write your comment</a>' in page
        assert f'hx-get="{_add(kind, pk)}"' in page
    assert 'name="body" rows="2"' not in page  # no inline text box per post
    assert page.count("Add a comment") == 2


def test_a_member_opens_the_comment_page_with_the_editor(client):
    question = QuestionFactory()
    client.force_login(MemberFactory())
    response = client.get(_add("question", question.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" in page and "csrfmiddlewaretoken" in page
    assert "data-markdown-editor" in page and reverse("uploads:preview") in page
    assert f'action="{_add("question", question.pk)}"' in page


def test_htmx_gets_the_form_alone_with_the_editor(client):
    answer = AnswerFactory()
    client.force_login(MemberFactory())
    response = client.get(_add("answer", answer.pk), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert page.lstrip().startswith('<form class="comment-form"')
    assert f'id="id_comment_answer_{answer.pk}_body"' in page
    assert "data-markdown-editor" in page and "csrfmiddlewaretoken" in page


def test_the_loaded_form_posts_a_comment(client):
    answer = AnswerFactory()
    member = MemberFactory()
    client.force_login(member)
    client.get(_add("answer", answer.pk), HTTP_HX_REQUEST="true")
    response = client.post(_add("answer", answer.pk), {"body": "Thanks, that worked."})
    assert response.status_code == 302
    comment = Comment.objects.get(author=member)
    assert comment.target == answer and comment.body == "Thanks, that worked."


def test_a_visitor_is_sent_to_log_in(client):
    question = QuestionFactory()
    response = client.get(_add("question", question.pk))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_silenced_member_gets_403_with_the_reason(client):
    question = QuestionFactory()
    client.force_login(MemberFactory(silenced_until=timezone.now() + timedelta(days=1)))
    response = client.get(_add("question", question.pk))
    assert response.status_code == 403
    assert "You are silenced" in response.content.decode()


def test_a_deleted_or_hidden_question_gives_no_form(client):
    client.force_login(MemberFactory())
    deleted = QuestionFactory(deleted_at=timezone.now())
    assert client.get(_add("question", deleted.pk)).status_code in (403, 404)
    # an ambassadors' category: refused as its question page is, and nothing of it shown
    ambassadors = QuestionFactory(category=CategoryFactory(ambassadors_only=True))
    response = client.get(_add("question", ambassadors.pk))
    assert response.status_code == 403 and ambassadors.title not in response.content.decode()
    assert client.get(_add("faq", 1)).status_code == 404
    assert client.get(_add("question", 999_999)).status_code == 404
