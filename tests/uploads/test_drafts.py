"""Drafts (issue 18, point 4): what a member types into a question, answer or idea is kept on
the server as they type and when a post is refused, restored when they come back, listed
under Drafts in their menu, and discarded once posted. Nobody but its member ever reads it."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forum.models import Answer, Question
from ideas.models import Idea
from members import personal_data
from tests.factories import MemberFactory, logged_in
from tests.forum.factories import CategoryFactory, QuestionFactory
from uploads.models import Draft, Upload
from uploads.services import upload_orphans_delete
from uploads.services_drafts import drafts_old_delete
from uploads.tasks import drafts_old_delete_task

pytestmark = pytest.mark.django_db

SAVE = reverse("uploads:draft-save")
ANSWER_TEXT = "A careful answer that took a while to write <and> must not be lost."


def _save(client, key, body, title=""):
    return client.post(
        SAVE, {"key": key, "title": title, "body": body}, headers={"Accept": "application/json"}
    )


def _draft(member, key):
    return Draft.objects.filter(member=member, key=key).first()


# --- autosave ---------------------------------------------------------------------------------


def test_autosave_keeps_the_text_and_says_when(member_client, member):
    response = _save(member_client, "question", "The export stops at 10,000 rows.", "Exports")
    assert response.status_code == 200
    assert response.json()["saved"] is True
    assert response.json()["message"].startswith("Draft saved at")
    draft = _draft(member, "question")
    assert (draft.title, draft.body) == ("Exports", "The export stops at 10,000 rows.")

    _save(member_client, "question", "The export stops at exactly 10,000 rows.", "Exports")
    assert Draft.objects.filter(member=member).count() == 1
    assert _draft(member, "question").body == "The export stops at exactly 10,000 rows."


def test_emptying_the_form_discards_the_draft(member_client, member):
    _save(member_client, "idea", "Dark mode for the dashboard")
    assert _save(member_client, "idea", "  ").json()["saved"] is False
    assert not Draft.objects.exists()


@pytest.mark.parametrize(
    "key", ["", "nothing", "answer", "answer:x", "answer:0", "idea:3", "q" * 70]
)
def test_autosave_refuses_a_key_that_names_no_form(member_client, key):
    response = _save(member_client, key, "Some text")
    assert response.status_code == 400
    assert response.json()["error"] == "This form keeps no draft."
    assert not Draft.objects.exists()


def test_an_oversized_draft_is_refused_cleanly(member_client, member, settings):
    settings.VECHE_DRAFT_MAX_CHARS = 100
    _save(member_client, "question", "What I had so far.")
    response = _save(member_client, "question", "x" * 101)
    assert response.status_code == 400
    assert "at most 100 characters" in response.json()["error"]
    assert _draft(member, "question").body == "What I had so far."  # the last good one stays


def test_a_member_has_at_most_so_many_drafts(member_client, member, settings):
    settings.VECHE_DRAFTS_PER_MEMBER = 2
    questions = QuestionFactory.create_batch(3)
    assert _save(member_client, f"answer:{questions[0].pk}", "First").status_code == 200
    assert _save(member_client, f"answer:{questions[1].pk}", "Second").status_code == 200
    response = _save(member_client, f"answer:{questions[2].pk}", "Third")
    assert response.status_code == 400
    assert "post or discard some" in response.json()["error"]
    assert _save(member_client, f"answer:{questions[0].pk}", "First, longer").status_code == 200


def test_autosave_is_rate_limited(member_client, member, settings, monkeypatch):
    settings.VECHE_DRAFT_SAVES_PER_MINUTE = 3
    # The four saves in one minute's window (a slow run could cross into the next one).
    minute = int(time.time() // 60)
    monkeypatch.setattr("uploads.views_drafts._minute", lambda: minute)
    for n in range(3):
        assert _save(member_client, "idea", f"Version {n}").status_code == 200
    response = _save(member_client, "idea", "Version 4")
    assert response.status_code == 429
    assert _draft(member, "idea").body == "Version 2"


def test_visitors_cannot_save_drafts(client):
    response = _save(client, "question", "Anything")
    assert response.status_code == 403
    assert not Draft.objects.exists()


def test_autosave_needs_the_csrf_token(member):
    client = logged_in(member)
    client.handler.enforce_csrf_checks = True
    assert _save(client, "question", "Anything").status_code == 403
    assert not Draft.objects.exists()


def test_autosave_takes_only_posts(member_client):
    assert member_client.get(SAVE).status_code == 405


def test_a_silenced_member_keeps_drafts(client):
    member = MemberFactory(silenced_until=timezone.now() + timedelta(days=2))
    client.force_login(member)
    assert _save(client, "idea", "For later").status_code == 200


# --- restored on return -----------------------------------------------------------------------


def test_the_ask_form_brings_back_the_draft(member_client, member):
    _save(member_client, "question", "Every export stops at 10,000 rows.", "Exports stop")
    page = member_client.get(reverse("forum:question-ask")).content.decode()
    assert "Restored your draft from" in page
    assert 'value="Exports stop"' in page
    assert "Every export stops at 10,000 rows.</textarea>" in page
    assert 'data-draft-key="question"' in page and "js/drafts.js" in page
    draft = _draft(member, "question")
    assert reverse("uploads:draft-discard", args=[draft.pk]) in page


def test_the_ask_form_opened_with_a_title_from_search_starts_afresh(member_client):
    _save(member_client, "question", "Old text", "Old title")
    url = reverse("forum:question-ask") + "?title=Something+else"
    page = member_client.get(url).content.decode()
    assert "Restored your draft" not in page and "Old text" not in page


def test_the_answer_box_brings_back_the_draft_of_its_question_only(member_client):
    question, other = QuestionFactory(), QuestionFactory()
    _save(member_client, f"answer:{question.pk}", ANSWER_TEXT)
    page = member_client.get(question.get_absolute_url()).content.decode()
    assert "Restored your draft from" in page
    assert "must not be lost.</textarea>" in page
    assert f'data-draft-key="answer:{question.pk}"' in page
    page = member_client.get(other.get_absolute_url()).content.decode()
    assert "Restored your draft" not in page and "must not be lost" not in page
    assert f'data-draft-key="answer:{other.pk}"' in page


def test_the_idea_form_brings_back_the_draft(member_client):
    _save(member_client, "idea", "So that night shifts hurt less.", "Dark mode everywhere")
    page = member_client.get(reverse("ideas:idea-new")).content.decode()
    assert "Restored your draft from" in page
    assert 'value="Dark mode everywhere"' in page
    assert "So that night shifts hurt less.</textarea>" in page
    assert 'data-draft-key="idea"' in page


def test_discard_from_the_form_starts_afresh(member_client, member):
    _save(member_client, "idea", "So that night shifts hurt less.", "Dark mode everywhere")
    draft = _draft(member, "idea")
    url = reverse("uploads:draft-discard", args=[draft.pk])
    response = member_client.post(url, {"next": reverse("ideas:idea-new")})
    assert response.status_code == 302 and response["Location"] == reverse("ideas:idea-new")
    assert not Draft.objects.exists()
    page = member_client.get(reverse("ideas:idea-new")).content.decode()
    assert "Restored your draft" not in page and "night shifts" not in page


# --- a refused post keeps its text ------------------------------------------------------------


@pytest.fixture
def silenced(client):
    member = MemberFactory(silenced_until=timezone.now() + timedelta(days=2))
    client.force_login(member)
    return member


def test_a_silenced_members_refused_answer_is_kept_as_a_draft(client, silenced):
    question = QuestionFactory()
    response = client.post(
        reverse("forum:answer-create", args=[question.pk]), {"body": ANSWER_TEXT}
    )
    page = response.content.decode()
    assert response.status_code == 403
    assert "You are silenced and cannot post until" in page
    assert "must not be lost.</textarea>" in page
    assert "Your text is kept as a draft" in page
    assert _draft(silenced, f"answer:{question.pk}").body == ANSWER_TEXT
    assert not Answer.objects.exists()
    # On the question page they are told it is kept, in place of the answer box.
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Your answer is kept as a draft until you may post again" in page


def test_an_answer_refused_by_the_form_is_kept_as_a_draft(member_client, member):
    question = QuestionFactory()
    response = member_client.post(
        reverse("forum:answer-create", args=[question.pk]), {"body": "Too short"}
    )
    assert response.status_code == 400
    assert "Too short</textarea>" in response.content.decode()
    assert _draft(member, f"answer:{question.pk}").body == "Too short"


def test_a_refused_question_is_kept_as_a_draft(client, silenced):
    category = CategoryFactory()
    data = {
        "title": "Exports stop at 10,000 rows",
        "body": "Every export I make stops at exactly 10,000 rows.",
        "category": category.slug,
    }
    response = client.post(reverse("forum:question-ask"), data)
    assert response.status_code == 403
    assert "Your text is kept as a draft" in response.content.decode()
    draft = _draft(silenced, "question")
    assert (draft.title, draft.body) == (data["title"], data["body"])
    assert not Question.objects.exists()


def test_a_question_with_a_form_error_is_kept_as_a_draft(member_client, member):
    response = member_client.post(
        reverse("forum:question-ask"), {"title": "Short", "body": "Not much yet"}
    )
    assert response.status_code == 400
    assert (_draft(member, "question").title, _draft(member, "question").body) == (
        "Short",
        "Not much yet",
    )


def test_a_refused_idea_keeps_its_text_in_the_form_and_as_a_draft(client, silenced):
    category = CategoryFactory()
    data = {
        "title": "Dark mode everywhere",
        "description": "So that night shifts hurt less.",
        "category": category.slug,
        "confirmed": "on",
    }
    response = client.post(reverse("ideas:idea-new"), data)
    page = response.content.decode()
    assert response.status_code == 403
    assert "You are silenced and cannot post until" in page
    assert 'value="Dark mode everywhere"' in page and "night shifts hurt less.</textarea>" in page
    draft = _draft(silenced, "idea")
    assert (draft.title, draft.body) == ("Dark mode everywhere", "So that night shifts hurt less.")
    assert not Idea.objects.exists()


def test_a_draft_too_long_to_keep_still_comes_back_in_the_form(client, silenced, settings):
    settings.VECHE_DRAFT_MAX_CHARS = 20
    question = QuestionFactory()
    response = client.post(
        reverse("forum:answer-create", args=[question.pk]), {"body": ANSWER_TEXT}
    )
    page = response.content.decode()
    assert response.status_code == 403 and "must not be lost.</textarea>" in page
    assert "Your text is kept as a draft" not in page
    assert not Draft.objects.exists()


# --- discarded after posting ------------------------------------------------------------------


def test_posting_the_question_discards_its_draft(member_client, member):
    category = CategoryFactory()
    _save(member_client, "question", "Every export I make stops", "Exports stop")
    _save(member_client, "idea", "Unrelated idea")
    data = {
        "title": "Exports stop at 10,000 rows",
        "body": "Every export I make stops at exactly 10,000 rows.",
        "category": category.slug,
    }
    response = member_client.post(reverse("forum:question-ask"), data)
    assert response.status_code == 302
    assert list(Draft.objects.values_list("key", flat=True)) == ["idea"]


def test_posting_the_answer_discards_the_draft_of_that_question_only(member_client, member):
    question, other = QuestionFactory(), QuestionFactory()
    _save(member_client, f"answer:{question.pk}", "Half an answer")
    _save(member_client, f"answer:{other.pk}", "Another half")
    response = member_client.post(
        reverse("forum:answer-create", args=[question.pk]), {"body": ANSWER_TEXT}
    )
    assert response.status_code == 302
    assert list(Draft.objects.values_list("key", flat=True)) == [f"answer:{other.pk}"]
    page = member_client.get(question.get_absolute_url()).content.decode()
    assert "Restored your draft" not in page and "Half an answer" not in page


def test_posting_the_idea_discards_its_draft(member_client, member):
    category = CategoryFactory()
    _save(member_client, "idea", "Half an idea", "Dark mode")
    data = {
        "title": "Dark mode everywhere",
        "description": "So that night shifts hurt less.",
        "category": category.slug,
        "confirmed": "on",
    }
    response = member_client.post(reverse("ideas:idea-new"), data)
    assert response.status_code == 302
    assert not Draft.objects.exists()


# --- the menu and the drafts page -------------------------------------------------------------


def test_the_menu_links_to_drafts_and_counts_them_when_opened(member_client):
    page = member_client.get(reverse("home")).content.decode()
    assert f'href="{reverse("uploads:drafts")}"' in page
    assert reverse("uploads:draft-count") in page
    count = reverse("uploads:draft-count")
    assert member_client.get(count).content.decode().strip() == ""
    _save(member_client, "idea", "One")
    _save(member_client, "question", "Two")
    fragment = member_client.get(count).content.decode()
    assert 'aria-label="2 drafts"' in fragment and ">2</span>" in fragment


def test_the_drafts_page_lists_them_with_links_to_continue(member_client, member):
    question = QuestionFactory(title="Why do exports stop at 10,000 rows?")
    _save(member_client, "idea", "So that night shifts hurt less.", "Dark mode everywhere")
    _save(member_client, f"answer:{question.pk}", ANSWER_TEXT)
    page = member_client.get(reverse("uploads:drafts")).content.decode()
    assert "Answer: Why do exports stop at 10,000 rows?" in page
    assert "New idea" in page and "Dark mode everywhere" in page
    assert "must not be lost." in page
    answer_draft = _draft(member, f"answer:{question.pk}")
    response = member_client.get(reverse("uploads:draft-open", args=[answer_draft.pk]))
    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url() + "#answer-form"
    idea_draft = _draft(member, "idea")
    response = member_client.get(reverse("uploads:draft-open", args=[idea_draft.pk]))
    assert response["Location"] == reverse("ideas:idea-new")


def test_discard_from_the_drafts_page(member_client, member):
    _save(member_client, "idea", "So that night shifts hurt less.")
    draft = _draft(member, "idea")
    response = member_client.post(reverse("uploads:draft-discard", args=[draft.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("uploads:drafts")
    assert "The draft was discarded." in response.content.decode()
    assert not Draft.objects.exists()


def test_a_draft_for_a_question_now_hidden_keeps_its_text_without_the_title(member_client, member):
    question = QuestionFactory(title="A question about to be deleted")
    _save(member_client, f"answer:{question.pk}", ANSWER_TEXT)
    Question.objects.filter(pk=question.pk).update(deleted_at=timezone.now())
    page = member_client.get(reverse("uploads:drafts")).content.decode()
    assert "must not be lost." in page
    assert "about to be deleted" not in page
    assert "Its question is no longer available" in page
    draft = _draft(member, f"answer:{question.pk}")
    assert member_client.get(reverse("uploads:draft-open", args=[draft.pk])).status_code == 404


def test_the_drafts_page_when_there_are_none(member_client):
    page = member_client.get(reverse("uploads:drafts")).content.decode()
    assert "No drafts." in page


# --- only its member ----------------------------------------------------------------------


def test_another_members_draft_is_404_everywhere(client, member, other_member):
    question = QuestionFactory()
    _save(logged_in(member), f"answer:{question.pk}", ANSWER_TEXT)
    draft = _draft(member, f"answer:{question.pk}")
    client.force_login(other_member)
    assert client.get(reverse("uploads:draft-open", args=[draft.pk])).status_code == 404
    assert client.post(reverse("uploads:draft-discard", args=[draft.pk])).status_code == 404
    assert "must not be lost" not in client.get(reverse("uploads:drafts")).content.decode()
    assert "must not be lost" not in client.get(question.get_absolute_url()).content.decode()
    assert Draft.objects.filter(pk=draft.pk).exists()


def test_staff_do_not_read_members_drafts(staff_client, member):
    _save(logged_in(member), "idea", "Private thoughts")
    draft = _draft(member, "idea")
    assert staff_client.get(reverse("uploads:draft-open", args=[draft.pk])).status_code == 404
    assert "Private thoughts" not in staff_client.get(reverse("uploads:drafts")).content.decode()


def test_visitors_are_sent_to_log_in(client, member):
    _save(logged_in(member), "idea", "Private thoughts")
    draft = _draft(member, "idea")
    for url in (
        reverse("uploads:drafts"),
        reverse("uploads:draft-count"),
        reverse("uploads:draft-open", args=[draft.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    response = client.post(reverse("uploads:draft-discard", args=[draft.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert Draft.objects.exists()


# --- query counts -------------------------------------------------------------------------


@pytest.mark.parametrize("n", [2, 20])
def test_drafts_page_query_count(member_client, member, n, django_assert_num_queries, settings):
    settings.VECHE_DRAFTS_PER_MEMBER = 50
    for question in QuestionFactory.create_batch(n):
        _save(member_client, f"answer:{question.pk}", f"Answer to {question.pk}")
    for key in ("idea", "question"):
        _save(member_client, key, "Some text")
    member_client.get(reverse("uploads:drafts"))
    # The drafts, the questions' titles (the member's row and the session come from the cache).
    with django_assert_num_queries(2):
        response = member_client.get(reverse("uploads:drafts"))
    assert response.status_code == 200
    assert response.content.decode().count("Continue writing") == n + 2


# --- the old-drafts job and personal data -------------------------------------------------


def test_old_drafts_are_removed_by_the_beat_job(member_client, member):
    _save(member_client, "idea", "Old")
    _save(member_client, "question", "Fresh")
    Draft.objects.filter(key="idea").update(updated_at=timezone.now() - timedelta(days=31))
    assert drafts_old_delete_task() == 1
    assert list(Draft.objects.values_list("key", flat=True)) == ["question"]
    later = timezone.now() + timedelta(days=31)
    assert drafts_old_delete(now=later) == 1
    assert drafts_old_delete(now=later) == 0  # safe to run twice
    entry = settings.CELERY_BEAT_SCHEDULE["uploads.drafts_old_delete"]
    assert entry["task"] == drafts_old_delete_task.name == "uploads.drafts_old_delete"


def test_drafts_are_in_the_data_export_and_go_with_the_account(member_client, member):
    _save(member_client, "idea", "Private thoughts", "Dark mode")
    source = personal_data.SOURCES["uploads.drafts"]
    [row] = source.export(member)
    assert (row["form"], row["title"], row["text"]) == ("idea", "Dark mode", "Private thoughts")
    source.erase(member, False)
    assert not Draft.objects.exists()


def test_the_question_page_asks_for_a_draft_only_when_the_member_has_one_there(
    member_client, member
):
    """The answer box's draft is read only when the cached set of the member's draft keys
    holds it: drafts elsewhere cost the question page no query (its pin in
    tests/forum/test_query_counts.py stays)."""
    question, other = QuestionFactory(), QuestionFactory()
    url = question.get_absolute_url()
    member_client.get(url)
    member_client.get(url)  # the member's row again: the day's visit touched it
    with CaptureQueriesContext(connection) as without:
        member_client.get(url)
    _save(member_client, f"answer:{other.pk}", "Elsewhere")
    _save(member_client, "idea", "Elsewhere too")
    member_client.get(url)  # the set of draft keys goes back into the cache
    with CaptureQueriesContext(connection) as elsewhere:
        member_client.get(url)
    assert len(elsewhere) == len(without)
    _save(member_client, f"answer:{question.pk}", ANSWER_TEXT)
    member_client.get(url)
    with CaptureQueriesContext(connection) as here:
        assert "must not be lost.</textarea>" in member_client.get(url).content.decode()
    assert len(here) == len(without) + 1  # the draft itself


def test_an_upload_named_in_a_draft_is_no_orphan(member_client, member):
    upload = Upload.objects.create(
        key="ab" * 12,
        owner=member,
        kind=Upload.Kind.ATTACHMENT,
        name="log.txt",
        content_type="text/plain",
        size=3,
        path="ab/log.txt",
    )
    stray = Upload.objects.create(
        key="cd" * 12,
        owner=member,
        kind=Upload.Kind.ATTACHMENT,
        name="old.txt",
        content_type="text/plain",
        size=3,
        path="cd/old.txt",
    )
    Upload.objects.update(created_at=timezone.now() - timedelta(days=2))
    _save(member_client, "idea", f"See [log.txt](/uploads/{upload.key}/log.txt)")
    # Another member's draft naming the stray upload does not keep it.
    _save(logged_in(MemberFactory()), "idea", f"[old.txt](/uploads/{stray.key}/old.txt)")
    assert upload_orphans_delete() == 1
    assert list(Upload.objects.values_list("key", flat=True)) == [upload.key]
