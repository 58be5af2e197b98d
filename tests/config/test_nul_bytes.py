"""A NUL byte anywhere a visitor can put one gets the 400 page, never a 500 (PostgreSQL cannot
store or compare text holding NUL), and changes nothing."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from forum.models import Question
from moderation.content import ModerationState
from moderation.models import AuditLogEntry
from tests.forum.factories import QuestionFactory

pytestmark = pytest.mark.django_db


def _is_the_400_page(response) -> bool:
    return response.status_code == 400 and "Bad request" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/members/%00/",
        "/questions/%00/",
        "/questions/?sort=%00",
        "/search/?q=invoice%00export",
        "/ideas/?status=new%00",
        "/faq/?x%00=1",
    ],
)
def test_nul_in_a_path_or_a_query_string_is_a_bad_request(client, member, url):
    assert _is_the_400_page(client.get(url))
    client.force_login(member)
    assert _is_the_400_page(client.get(url))


def test_nul_in_a_moderators_restore_reason_is_refused_and_restores_nothing(moderator_client):
    question = QuestionFactory()
    Question.objects.filter(pk=question.pk).update(moderation_state=ModerationState.HIDDEN)
    url = reverse(
        "moderation:content-restore",
        args=[ContentType.objects.get_for_model(Question).pk, question.pk],
    )
    response = moderator_client.post(url, {"reason": "fixed\x00now"})
    assert _is_the_400_page(response)
    question.refresh_from_db()
    assert question.moderation_state == ModerationState.HIDDEN
    assert not AuditLogEntry.objects.exists()


def test_nul_in_a_form_field_of_a_members_post_is_refused(member_client):
    response = member_client.post(
        reverse("forum:question-ask"), {"title": "Why\x00?", "body": "Body text here."}
    )
    assert _is_the_400_page(response)
    assert not Question.objects.exists()
