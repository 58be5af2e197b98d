"""The Markdown editor on the post forms, and its preview: what the preview shows is exactly
what the post stores."""

import pytest
from django.urls import reverse

from forum.models import Question
from ideas.forms import IdeaForm
from tests.forum.factories import CategoryFactory

pytestmark = pytest.mark.django_db

BODY = (
    "Where is the **invoice** setting?\n\n| a | b |\n|---|:-:|\n| 1 | 2 |\n\n"
    "<script>alert(1)</script> [link](https://example.org) ![x](/uploads/abc/x.png)"
)


def test_the_ask_form_has_the_editor(member_client):
    CategoryFactory(slug="billing")
    page = member_client.get(reverse("forum:question-ask")).content.decode()
    assert "data-markdown-editor" in page
    assert f'data-upload-url="{reverse("uploads:create")}"' in page
    assert f'formaction="{reverse("uploads:preview")}"' in page  # "Preview" without script
    assert 'id="id_body-preview"' in page
    assert '<textarea name="body"' in page
    assert "js/editor.js" in page


def test_idea_form_uses_the_editor():
    html = str(IdeaForm()["description"])
    assert "data-markdown-editor" in html and 'name="description"' in html


def test_preview_equals_the_stored_render(member_client):
    CategoryFactory(slug="billing")
    preview = member_client.post(
        reverse("uploads:preview"), {"body": BODY, "preview_field": "body"}, HTTP_HX_REQUEST="true"
    )
    assert preview.status_code == 200
    response = member_client.post(
        reverse("forum:question-ask"),
        {"title": "How do I change the invoice address?", "body": BODY, "category": "billing"},
    )
    assert response.status_code == 302
    stored = Question.objects.get().body_html
    assert "<table>" in stored and "<script>" not in stored
    assert preview.content.decode().strip() == stored.strip()


def test_preview_without_javascript_is_a_page(member_client):
    response = member_client.post(
        reverse("uploads:preview"), {"description": "*hi*", "preview_field": "description"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "<em>hi</em>" in page and "<html" in page


def test_preview_is_for_members(client):
    response = client.post(reverse("uploads:preview"), {"body": "x"})
    assert response.status_code in (302, 403)


def test_preview_ignores_a_strange_field_name(member_client):
    response = member_client.post(
        reverse("uploads:preview"),
        {"body": "**b**", "preview_field": "<x>"},
        HTTP_HX_REQUEST="true",
    )
    assert "<strong>b</strong>" in response.content.decode()
