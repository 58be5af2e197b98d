"""An upload is readable by whoever may read its post, its owner and staff; an upload in no
post is its owner's alone and is removed after a while."""

from datetime import timedelta

import pytest
from django.utils import timezone

from moderation.content import ModerationState
from tests.factories import MemberFactory, logged_in
from tests.forum.factories import AnswerFactory, CategoryFactory, CommentFactory, QuestionFactory
from tests.ideas.factories import IdeaFactory
from uploads.models import Upload
from uploads.services import storage, upload_orphans_delete

from .conftest import image_bytes
from .helpers import send

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("store", "limits")]


@pytest.fixture
def author():
    return MemberFactory()


@pytest.fixture
def uploaded(author):
    response = send(logged_in(author), "shot.png", image_bytes())
    assert response.status_code == 201
    return response.json()


def readers(author, staff, ambassador):
    return {
        "visitor": None,
        "other member": MemberFactory(),
        "ambassador": ambassador,
        "author": author,
        "staff": staff,
    }


def statuses(url, people):
    from django.test import Client

    result = {}
    for name, person in people.items():
        client = logged_in(person) if person is not None else Client()
        result[name] = client.get(url).status_code
    return result


def test_published_post_is_readable_by_everybody(author, uploaded, staff, ambassador):
    question = QuestionFactory(author=author, body=f"See {uploaded['markdown']}")
    upload = Upload.objects.get()
    assert (upload.post_id, upload.post_type.model) == (question.pk, "question")
    assert set(statuses(uploaded["url"], readers(author, staff, ambassador)).values()) == {200}


@pytest.mark.parametrize(
    "hidden",
    [
        {"moderation_state": ModerationState.HELD},
        {"deleted_at": timezone.now()},
        {"moderation_state": ModerationState.REJECTED},
    ],
)
def test_held_or_deleted_post_is_readable_by_its_author_and_staff_only(
    author, uploaded, staff, ambassador, hidden
):
    QuestionFactory(author=author, body=uploaded["markdown"], **hidden)
    assert statuses(uploaded["url"], readers(author, staff, ambassador)) == {
        "visitor": 404,
        "other member": 404,
        "ambassador": 404,
        "author": 200,
        "staff": 200,
    }


def test_ambassador_only_category(author, uploaded, staff, ambassador):
    question = QuestionFactory(category=CategoryFactory(ambassadors_only=True))
    AnswerFactory(question=question, author=author, body=uploaded["markdown"])
    assert statuses(uploaded["url"], readers(author, staff, ambassador)) == {
        "visitor": 404,
        "other member": 404,
        "ambassador": 200,
        "author": 200,
        "staff": 200,
    }


def test_comment_on_a_held_question(author, uploaded, staff, ambassador):
    question = QuestionFactory(moderation_state=ModerationState.HELD)
    CommentFactory(target=question, author=author, body=uploaded["markdown"])
    result = statuses(uploaded["url"], readers(author, staff, ambassador))
    assert result["other member"] == result["visitor"] == 404
    assert result["author"] == result["staff"] == 200


def test_idea_in_an_ambassador_only_category(author, uploaded, staff, ambassador):
    idea = IdeaFactory(author=author, description=uploaded["markdown"])
    idea.category.ambassadors_only = True
    idea.category.save()
    assert Upload.objects.get().post_id == idea.pk
    result = statuses(uploaded["url"], readers(author, staff, ambassador))
    assert result == {
        "visitor": 404,
        "other member": 404,
        "ambassador": 200,
        "author": 200,
        "staff": 200,
    }


def test_an_upload_in_no_post_is_its_owners_alone(author, uploaded, staff, ambassador):
    result = statuses(uploaded["url"], readers(author, staff, ambassador))
    assert result["visitor"] == result["other member"] == result["ambassador"] == 404
    assert result["author"] == 200


def test_another_members_post_cannot_take_an_upload(author, uploaded):
    QuestionFactory(body=uploaded["markdown"])  # someone else pastes the address
    assert Upload.objects.get().post_id is None
    question = QuestionFactory(author=author, body=uploaded["markdown"])
    assert Upload.objects.get().post_id == question.pk
    QuestionFactory(author=author, body=uploaded["markdown"])  # a second post: stays put
    assert Upload.objects.get().post_id == question.pk


def test_unknown_key_and_wrong_name_parts(client, uploaded):
    assert client.get("/uploads/000000000000000000000000/x.png").status_code == 404
    assert client.get("/uploads/nonsense/x.png").status_code == 404


def test_orphans_are_removed_after_the_grace_period(author, uploaded, limits):
    QuestionFactory(author=author, body=uploaded["markdown"])
    orphan = send(logged_in(author), "late.png", image_bytes(size=(900, 300))).json()
    kept, gone = Upload.objects.order_by("pk")
    assert upload_orphans_delete() == 0  # too young
    later = timezone.now() + timedelta(hours=limits.VECHE_UPLOAD_ORPHAN_HOURS + 1)
    assert upload_orphans_delete(now=later) == 1
    assert list(Upload.objects.all()) == [kept]
    assert not storage().exists(gone.path) and not storage().exists(gone.thumbnail_path)
    assert storage().exists(kept.path)
    assert logged_in(author).get(orphan["url"]).status_code == 404
    assert upload_orphans_delete(now=later) == 0  # safe to run twice


def test_the_orphan_job_is_scheduled(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["uploads.orphans_delete"]
    assert entry["task"] == "uploads.orphans_delete"
    from uploads.tasks import orphans_delete_task

    assert orphans_delete_task.name == "uploads.orphans_delete"


@pytest.mark.parametrize("who", ["visitor", "author"])
def test_serving_an_upload_costs_few_queries(
    author, uploaded, client, django_assert_max_num_queries, who
):
    QuestionFactory(author=author, body=uploaded["markdown"])
    reader = logged_in(author) if who == "author" else client
    reader.get(uploaded["url"])  # content types cached, as in a running process
    # session and member (author), the upload, the post's visibility (visitor)
    with django_assert_max_num_queries(3):
        assert reader.get(uploaded["url"]).status_code == 200
