"""Watching tags and categories (issue 19, point 1): levels create exactly the notifications
they promise, muted topics leave the member's lists, unread markers clear on reading."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from forum.models import Question, TopicWatch
from forum.services.watching import question_visit_record
from members.models import Notification
from moderation.content import ModerationState
from tests.factories import MemberFactory, logged_in
from tests.forum.factories import AnswerFactory, CategoryFactory, QuestionFactory, TagFactory

pytestmark = pytest.mark.django_db


def _set(member, url: str, level: str, **headers: str):
    return logged_in(member).post(url, {"level": level}, **headers)


def _tag_watch(tag) -> str:
    return reverse("forum:tag-watch", args=[tag.slug])


def _category_watch(category) -> str:
    return reverse("forum:category-watch", args=[category.slug])


def _ask(author, category, *, tags: str = "", title: str = "How do I rotate the API keys?"):
    response = logged_in(author).post(
        reverse("forum:question-ask"),
        {
            "title": title,
            "body": "Where is the button for it?",
            "category": category.slug,
            "tags": tags,
        },
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    return Question.objects.get(title=title)


def _answer(author, question, body: str = "Open the settings, then the keys tab."):
    response = logged_in(author).post(
        reverse("forum:answer-create", args=[question.pk]), {"body": body}
    )
    assert response.status_code == 302
    return response


def _kinds(member) -> list[str]:
    return sorted(Notification.objects.filter(recipient=member).values_list("kind", flat=True))


# --- setting a level -----------------------------------------------------------------------


def test_a_member_sets_a_level_on_the_tag_page_without_javascript():
    member, tag = MemberFactory(), TagFactory(slug="sso")
    page = logged_in(member).get(reverse("forum:tag", args=["sso"])).content.decode()
    assert f'action="{_tag_watch(tag)}"' in page
    assert '<option value="normal" selected>' in page
    response = _set(member, _tag_watch(tag), "watching")
    assert response.status_code == 302 and response["Location"] == tag.get_absolute_url()
    assert TopicWatch.objects.get(member=member, tag=tag).level == "watching"
    page = logged_in(member).get(tag.get_absolute_url()).content.decode()
    assert '<option value="watching" selected>' in page
    # Back to normal: no row.
    _set(member, _tag_watch(tag), "normal")
    assert not TopicWatch.objects.filter(member=member).exists()


def test_htmx_swaps_the_form_in_place_on_the_category_page():
    member, category = MemberFactory(), CategoryFactory()
    response = _set(member, _category_watch(category), "tracking", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<option value="tracking" selected>' in html and "Saved." in html
    assert "<html" not in html
    assert TopicWatch.objects.get(member=member, category=category).level == "tracking"


def test_visitors_see_no_form_and_cannot_set_a_level():
    tag = TagFactory(slug="sso")
    client = Client()
    assert _tag_watch(tag) not in client.get(tag.get_absolute_url()).content.decode()
    response = client.post(_tag_watch(tag), {"level": "watching"})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert not TopicWatch.objects.exists()


def test_bad_input_gives_400_404_403_never_500(private_category):
    member, tag = MemberFactory(), TagFactory()
    assert _set(member, _tag_watch(tag), "loud").status_code == 400
    assert logged_in(member).get(_tag_watch(tag)).status_code == 405
    missing = reverse("forum:tag-watch", args=["no-such-tag"])
    assert _set(member, missing, "watching").status_code == 404
    assert _set(member, _category_watch(private_category), "watching").status_code == 403
    assert not TopicWatch.objects.exists()


def test_the_settings_page_lists_every_level():
    member = MemberFactory()
    tag, category = TagFactory(name="billing-api", slug="billing-api"), CategoryFactory(name="Sync")
    _set(member, _tag_watch(tag), "watching")
    _set(member, _category_watch(category), "muted")
    other = MemberFactory()
    _set(other, _tag_watch(TagFactory(name="not-mine", slug="not-mine")), "watching")
    page = logged_in(member).get(reverse("members:settings")).content.decode()
    assert "billing-api" in page and "Sync" in page and "Muted" in page
    assert "not-mine" not in page


# --- notifications -------------------------------------------------------------------------


def test_watching_a_tag_notifies_every_new_question_and_answer_once(
    category, django_capture_on_commit_callbacks
):
    watcher, tracker, normal, author = (
        MemberFactory(),
        MemberFactory(),
        MemberFactory(),
        MemberFactory(),
    )
    sso, api = TagFactory(name="sso", slug="sso"), TagFactory(name="api", slug="api")
    # Watching two of the question's tags and its category: still one notification.
    _set(watcher, _tag_watch(sso), "watching")
    _set(watcher, _tag_watch(api), "watching")
    _set(watcher, _category_watch(category), "watching")
    _set(tracker, _tag_watch(sso), "tracking")
    with django_capture_on_commit_callbacks(execute=True):
        question = _ask(author, category, tags="sso, api")
    assert _kinds(watcher) == ["watched_question"]
    assert _kinds(tracker) == [] and _kinds(normal) == [] and _kinds(author) == []
    assert [m.to for m in mail.outbox] == [[watcher.email]]
    assert question.title in mail.outbox[0].subject
    # An answer: the watcher is told once; its author (a watcher too) is not.
    answerer = MemberFactory()
    _set(answerer, _tag_watch(sso), "watching")
    _answer(answerer, question)
    assert _kinds(watcher) == ["watched_answer", "watched_question"]
    assert _kinds(answerer) == []
    # The asker follows their question: "answer_new", not also "watched_answer".
    _set(author, _tag_watch(sso), "watching")
    _answer(MemberFactory(), question, body="Or ask the admin to rotate them for you.")
    assert _kinds(author).count("answer_new") == 2 and "watched_answer" not in _kinds(author)


def test_a_watcher_mentioned_in_a_question_is_told_once(category):
    watcher = MemberFactory(username="watcher")
    _set(watcher, _category_watch(category), "watching")
    response = logged_in(MemberFactory()).post(
        reverse("forum:question-ask"),
        {
            "title": "Can @watcher help with exports?",
            "body": "Asking @watcher here.",
            "category": category.slug,
            "tags": "",
        },
    )
    assert response.status_code == 302
    assert _kinds(watcher) == ["mention"]


def test_a_held_question_notifies_nobody_until_approved(category):
    watcher = MemberFactory()
    _set(watcher, _category_watch(category), "watching")
    newbie = MemberFactory(trust_level=0)
    question = _ask(newbie, category, title="My first question, held for approval")
    assert question.moderation_state == ModerationState.HELD
    assert _kinds(watcher) == []


def test_a_private_category_notifies_only_watchers_who_may_see_it(private_category, ambassador):
    member = MemberFactory()
    tag = TagFactory(slug="lounge-tag")
    _set(member, _tag_watch(tag), "watching")  # may not enter the category
    _set(ambassador, _tag_watch(tag), "watching")
    _ask(MemberFactory(badge="ambassador"), private_category, tags="lounge-tag")
    assert _kinds(member) == []
    assert _kinds(ambassador) == ["watched_question"]


def test_banned_and_muting_members_are_not_notified(category):
    banned, muter = MemberFactory(), MemberFactory()
    _set(banned, _category_watch(category), "watching")
    _set(muter, _category_watch(category), "muted")
    banned.is_active = False
    banned.save()
    _ask(MemberFactory(), category)
    assert _kinds(banned) == [] and _kinds(muter) == []


# --- muted lists ---------------------------------------------------------------------------


def test_muted_topics_leave_the_main_list_and_home_but_not_their_own_pages():
    member = MemberFactory()
    noisy_tag, noisy_category = TagFactory(slug="noisy"), CategoryFactory(slug="noisy-area")
    by_tag = QuestionFactory(title="Muted by its tag, question one", tags=[noisy_tag])
    in_category = QuestionFactory(
        title="Muted by its category, question two", category=noisy_category
    )
    kept = QuestionFactory(title="Nothing muted here, question three")
    _set(member, _tag_watch(noisy_tag), "muted")
    _set(member, _category_watch(noisy_category), "muted")
    client = logged_in(member)
    for url in (reverse("forum:question-list"), "/"):
        page = client.get(url).content.decode()
        assert kept.title in page
        assert by_tag.title not in page and in_category.title not in page
    # Opened on purpose: the tag page, the category page, the question itself, search.
    assert by_tag.title in client.get(noisy_tag.get_absolute_url()).content.decode()
    assert in_category.title in client.get(noisy_category.get_absolute_url()).content.decode()
    assert client.get(by_tag.get_absolute_url()).status_code == 200
    # Other members and visitors still see everything.
    for other in (logged_in(MemberFactory()), Client()):
        page = other.get(reverse("forum:question-list")).content.decode()
        assert by_tag.title in page and in_category.title in page


def test_the_list_total_follows_a_new_mute_at_once():
    member = MemberFactory()
    tag = TagFactory(slug="noisy")
    QuestionFactory.create_batch(2, tags=[tag])
    QuestionFactory()
    client = logged_in(member)
    url = reverse("forum:question-list")
    assert client.get(url).context["page_obj"].paginator.count == 3
    _set(member, _tag_watch(tag), "muted")
    assert client.get(url).context["page_obj"].paginator.count == 1


# --- unread markers ------------------------------------------------------------------------


def test_unread_markers_count_new_answers_and_clear_on_reading():
    member = MemberFactory()
    question = QuestionFactory(title="A question with answers to come")
    client = logged_in(member)
    client.get(question.get_absolute_url())  # read with no answers
    url = reverse("forum:question-list")
    assert "badge-unread" not in client.get(url).content.decode()
    AnswerFactory(question=question)
    AnswerFactory(question=question)
    Question.objects.filter(pk=question.pk).update(answer_count=2)
    page = client.get(url).content.decode()
    assert '<span class="badge badge-unread">2 new</span>' in page
    # Another member who never opened it sees no marker; visitors neither.
    assert "badge-unread" not in logged_in(MemberFactory()).get(url).content.decode()
    assert "badge-unread" not in Client().get(url).content.decode()
    client.get(question.get_absolute_url())
    assert "badge-unread" not in client.get(url).content.decode()


def test_unread_markers_of_more_rows_than_a_page_and_repeated_ids(django_assert_num_queries):
    """The markers are one compiled read per page of rows (``UNREAD_ROWS``, padded with ids no
    row has): 25 rows, one named twice, are two reads and a marker each; a tracked tag marks
    a question never opened as new, also on the padded read."""
    from forum.models import QuestionRead
    from forum.selectors.watching import UNREAD_ROWS, unread_markers

    member, tag = MemberFactory(), TagFactory(slug="tracked-rows")
    questions = [QuestionFactory() for _ in range(UNREAD_ROWS + 5)]
    for question in questions:
        QuestionRead.objects.create(member=member, question=question, answer_count=1)
    Question.objects.filter(pk__in=[q.pk for q in questions[:-1]]).update(answer_count=3)
    ids = [q.pk for q in questions] + [questions[0].pk]
    unread_markers(member, ids[:1])  # the member's levels, kept in the cache
    with django_assert_num_queries(2):
        markers = unread_markers(member, ids)
    assert markers == {q.pk: 2 for q in questions[:-1]}
    _set(member, _tag_watch(tag), "tracking")
    new = QuestionFactory(tags=[tag])
    member.__dict__.pop("_watch_levels", None)
    assert unread_markers(member, [new.pk, questions[0].pk]) == {new.pk: 0, questions[0].pk: 2}
    assert unread_markers(MemberFactory(), [new.pk]) == {}


def test_tracked_topics_mark_new_questions_until_read():
    member, tag = MemberFactory(), TagFactory(slug="tracked")
    _set(member, _tag_watch(tag), "tracking")
    new = QuestionFactory(title="A new question in a tracked tag", tags=[tag])
    QuestionFactory(title="A question elsewhere")
    client = logged_in(member)
    page = client.get(reverse("forum:question-list")).content.decode()
    assert page.count("badge-unread") == 1 and '<span class="badge badge-unread">new</span>' in page
    client.get(new.get_absolute_url())
    assert "badge-unread" not in client.get(reverse("forum:question-list")).content.decode()


def test_the_marker_is_in_russian_for_a_russian_member():
    member = MemberFactory(preferred_language="ru")
    question = QuestionFactory()
    client = logged_in(member)
    client.get(question.get_absolute_url())
    Question.objects.filter(pk=question.pk).update(answer_count=3)
    page = client.get(reverse("forum:question-list")).content.decode()
    assert '<span class="badge badge-unread">3 новых</span>' in page


@pytest.mark.parametrize("watching, queries", [(False, 1), (True, 3)])
def test_list_query_counts_with_and_without_watching_rows(
    watching, queries, django_assert_num_queries
):
    member = MemberFactory()
    tags = [TagFactory() for _ in range(3)]
    for index in range(25):
        question = QuestionFactory(tags=[tags[index % 3]])
        if watching and index % 2:
            AnswerFactory(question=question)
    client = logged_in(member)
    if watching:
        _set(member, _tag_watch(tags[0]), "muted")
        _set(member, _tag_watch(tags[1]), "tracking")
        _set(member, _category_watch(Question.objects.first().category), "watching")
        for question in Question.objects.all()[:10]:
            client.get(question.get_absolute_url())
    url = reverse("forum:question-list")
    client.get(url)
    client.get(url)  # the member's row again: the day's first visit touched it
    # the page (muted topics are a condition of its query), its tags, the markers; the
    # member's row, the count and the filter's categories are cached. Without muted topics the
    # page and its tags are the visitors', whose render members share (forum.views.questions):
    # cached too.
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_visitors_cached_pages_stay_the_same_and_stored(django_assert_num_queries):
    tag = TagFactory(slug="sso")
    question = QuestionFactory(tags=[tag])
    member = MemberFactory()  # (a new member touches the names shown beside posts)
    client = logged_in(member)
    client.get("/")
    visitor = Client()
    urls = (reverse("forum:question-list"), tag.get_absolute_url())
    before = {url: visitor.get(url).content for url in urls}
    client.post(_tag_watch(tag), {"level": "muted"})
    client.post(_category_watch(question.category), {"level": "watching"})
    # What opening the question records: its view count and the member's read marker (the
    # count shows on the rows only once the stored pages expire, as docs/caching.md says).
    question_visit_record(question=question, member=member)
    for url in urls:
        with django_assert_num_queries(0):  # still the stored page: no shared scope touched
            assert visitor.get(url).content == before[url]


def test_levels_and_reads_are_exported_and_erased_with_the_account():
    from members.personal_data import SOURCES

    member, tag = MemberFactory(), TagFactory(name="exported-tag", slug="exported-tag")
    _set(member, _tag_watch(tag), "watching")
    logged_in(member).post(reverse("ideas:status-watch", args=["planned"]), {"level": "muted"})
    logged_in(member).get(QuestionFactory().get_absolute_url())
    assert SOURCES["forum.watches"].export(member)[0]["tag__name"] == "exported-tag"
    assert SOURCES["ideas.watches"].export(member)[0]["level"] == "muted"
    for source in SOURCES.values():
        source.erase(member, False)
    assert not TopicWatch.objects.filter(member=member).exists()
    assert not member.question_reads.exists() and not member.status_watches.exists()


def test_a_muted_tag_wins_over_a_watched_category(category):
    member = MemberFactory()
    TagFactory(name="noise", slug="noise")
    _set(member, _category_watch(category), "watching")
    _set(member, reverse("forum:tag-watch", args=["noise"]), "muted")
    _ask(MemberFactory(), category, tags="noise", title="A noisy question in the category")
    assert _kinds(member) == []
    _ask(MemberFactory(), category, title="A quiet question in the category")
    assert _kinds(member) == ["watched_question"]
