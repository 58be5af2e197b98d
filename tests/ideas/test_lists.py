from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from forum.models import Comment
from ideas import services as services_ideas
from ideas.models import Idea, IdeaQuestionLink, IdeaStatusChange
from ideas.sections import home_section
from ideas.tasks import idea_trending_refresh_task
from tests.factories import MemberFactory
from tests.forum.factories import QuestionFactory
from tests.ideas.factories import IdeaCategoryFactory, IdeaFactory, follow, vote

pytestmark = pytest.mark.django_db


def _titles(response) -> list[str]:
    return [idea.title for idea in response.context["page_obj"]]


def test_top_orders_by_votes(client):
    low, high = IdeaFactory(title="Low"), IdeaFactory(title="High")
    for _ in range(3):
        vote(high, MemberFactory())
    vote(low, MemberFactory())
    assert _titles(client.get(reverse("ideas:idea-list"))) == ["High", "Low"]


def test_trending_orders_by_recent_votes_not_total_votes(client):
    old_favourite = IdeaFactory(title="Old favourite")
    rising = IdeaFactory(title="Rising")
    IdeaFactory(title="Quiet")
    long_ago = timezone.now() - timedelta(days=30)
    for _ in range(5):
        vote(old_favourite, MemberFactory(), at=long_ago)
    vote(old_favourite, MemberFactory())  # one recent vote
    for _ in range(2):
        vote(rising, MemberFactory(), at=timezone.now() - timedelta(days=3))
    response = client.get(reverse("ideas:idea-list"), {"sort": "trending"})
    assert _titles(response) == ["Rising", "Old favourite", "Quiet"]
    assert _titles(client.get(reverse("ideas:idea-list"), {"sort": "top"}))[0] == "Old favourite"


def test_newest_orders_by_creation(client):
    IdeaFactory(title="Older", created_at=timezone.now() - timedelta(days=2))
    IdeaFactory(title="Newer")
    assert _titles(client.get(reverse("ideas:idea-list"), {"sort": "newest"})) == ["Newer", "Older"]


def test_filters_by_status_and_category(client):
    billing = IdeaCategoryFactory(slug="billing", name="Billing")
    IdeaFactory(title="Planned billing", status="planned", category=billing)
    IdeaFactory(title="New billing", category=billing)
    IdeaFactory(title="Planned elsewhere", status="planned")
    response = client.get(reverse("ideas:idea-list"), {"status": "planned", "category": "billing"})
    assert _titles(response) == ["Planned billing"]


@pytest.mark.parametrize(
    "query", [{"status": "bogus"}, {"category": "nope"}, {"sort": "weird"}, {"page": "999"}]
)
def test_bad_filters_never_500(client, query):
    IdeaFactory()
    assert client.get(reverse("ideas:idea-list"), query).status_code == 200


def test_held_hidden_and_ambassador_only_ideas_are_not_listed(client, member):
    IdeaFactory(title="Held one", moderation_state="held")
    IdeaFactory(title="Secret", category=IdeaCategoryFactory(ambassadors_only=True))
    IdeaFactory(title="Visible")
    assert _titles(client.get(reverse("ideas:idea-list"))) == ["Visible"]
    hidden = Idea.objects.get(title="Secret")
    assert client.get(hidden.get_absolute_url()).status_code == 404
    member.badge = "ambassador"
    member.save()
    client.force_login(member)
    assert client.get(hidden.get_absolute_url()).status_code == 200


def test_roadmap_shows_three_columns(client):
    IdeaFactory(title="P", status="planned")
    IdeaFactory(title="I", status="in_progress")
    IdeaFactory(title="S", status="shipped")
    IdeaFactory(title="N", status="new")
    response = client.get(reverse("ideas:idea-roadmap"))
    columns = {
        str(status): [i.title for i in ideas] for status, _l, ideas in response.context["columns"]
    }
    assert columns == {"planned": ["P"], "in_progress": ["I"], "shipped": ["S"]}
    body = response.content.decode()
    assert (
        body.index('id="roadmap-planned"')
        < body.index('id="roadmap-in_progress"')
        < body.index('id="roadmap-shipped"')
    )


def _ship(idea, days_ago, note):
    at = timezone.now() - timedelta(days=days_ago)
    Idea.objects.filter(pk=idea.pk).update(status="shipped", status_changed_at=at)
    IdeaStatusChange.objects.create(
        idea=idea,
        from_status="planned",
        to_status="shipped",
        note=note,
        note_html=f"<p>{note}</p>",
        at=at,
    )


def test_changelog_lists_shipped_ideas_newest_first_with_their_note(client):
    _ship(IdeaFactory(title="Shipped long ago"), 20, "Old note")
    _ship(IdeaFactory(title="Shipped yesterday"), 1, "Fresh note")
    IdeaFactory(title="Not shipped", status="planned")
    response = client.get(reverse("ideas:idea-changelog"))
    assert _titles(response) == ["Shipped yesterday", "Shipped long ago"]
    assert "Fresh note" in response.content.decode()


@pytest.mark.parametrize(
    "name, marker", [("ideas:idea-changelog-rss", "<rss"), ("ideas:idea-changelog-atom", "<feed")]
)
def test_changelog_feeds(client, name, marker):
    _ship(IdeaFactory(title="Shipped thing"), 1, "Now live")
    response = client.get(reverse(name))
    body = response.content.decode()
    assert response.status_code == 200 and marker in body
    assert "Shipped thing" in body and "Now live" in body


def test_home_page_shows_top_and_trending_ideas(client):
    idea = IdeaFactory(title="Everyone wants this")
    vote(idea, MemberFactory())
    body = client.get("/").content.decode()
    assert "Top ideas" in body and "Trending" in body and "Everyone wants this" in body


def test_profile_shows_the_members_ideas(client, member):
    IdeaFactory(title="My own idea", author=member)
    body = client.get(reverse("members:profile", args=[member.username])).content.decode()
    assert "My own idea" in body


# --- query counts -----------------------------------------------------------------------------


def _populate(count: int):
    category = IdeaCategoryFactory()
    voters = [MemberFactory() for _ in range(3)]
    ideas = []
    for i in range(count):
        idea = IdeaFactory(
            category=category if i % 2 else IdeaCategoryFactory(),
            status=["new", "planned", "in_progress", "shipped"][i % 4],
        )
        for voter in voters[: i % 3 + 1]:
            vote(idea, voter)
        ideas.append(idea)
    return ideas


@pytest.mark.parametrize("count", [3, 25])
@pytest.mark.parametrize("sort", ["top", "trending", "newest"])
def test_list_query_count_does_not_grow(client, member, django_assert_num_queries, count, sort):
    _populate(count)
    client.force_login(member)
    client.get("/")  # warm the settings cache
    client.get(reverse("ideas:idea-list"))  # the board's total, kept (config.cache.counted)
    # page of ideas (+author, category), the viewer's votes on that page, categories for the
    # filter form (the member's row, the session and moderator flag are cached).
    with django_assert_num_queries(3):
        response = client.get(reverse("ideas:idea-list"), {"sort": sort})
    assert response.status_code == 200


def test_the_boards_total_is_kept_and_a_new_or_hidden_idea_changes_it_at_once(client, member):
    ideas = [IdeaFactory() for _ in range(21)]
    client.force_login(member)
    assert client.get(reverse("ideas:idea-list")).context["page_obj"].paginator.count == 21
    IdeaFactory()
    response = client.get(reverse("ideas:idea-list"), {"page": 2})
    assert response.context["page_obj"].paginator.count == 22
    assert len(response.context["page_obj"]) == 2
    Idea.objects.filter(pk=ideas[0].pk).update(moderation_state="hidden")
    assert client.get(reverse("ideas:idea-list")).context["page_obj"].paginator.count == 21


@pytest.mark.parametrize("count", [3, 25])
def test_roadmap_query_count_does_not_grow(client, django_assert_num_queries, count):
    _populate(count)
    client.get("/")
    with django_assert_num_queries(3):  # one per column
        assert client.get(reverse("ideas:idea-roadmap")).status_code == 200


@pytest.mark.parametrize("count", [3, 25])
def test_changelog_query_count_does_not_grow(client, django_assert_num_queries, count):
    for i in range(count):
        _ship(IdeaFactory(), i, f"note {i}")
    client.get("/")
    with django_assert_num_queries(2):  # paginator count, page of ideas with their notes
        assert client.get(reverse("ideas:idea-changelog")).status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_idea_page_query_count_does_not_grow(client, member, django_assert_num_queries, count):
    idea = IdeaFactory()
    ct = ContentType.objects.get_for_model(Idea)
    for i in range(count):
        someone = MemberFactory()
        vote(idea, someone)
        follow(idea, someone)
        Comment.objects.create(
            author=someone,
            target_type=ct,
            target_id=idea.pk,
            body=f"c{i}",
            body_html=f"<p>c{i}</p>",
        )
        IdeaStatusChange.objects.create(
            idea=idea,
            from_status="new",
            to_status="planned",
            note="n",
            note_html="<p>n</p>",
            by=someone,
        )
        IdeaFactory(merged_into=idea)
        IdeaQuestionLink.objects.create(idea=idea, question=QuestionFactory())
    client.force_login(member)
    # The first visit warms the caches that every later page view shares: the session, the
    # moderator flag, the rules state and the rule choices of the flag buttons
    # (moderation.selectors, cached until rules are published) and the comment content type.
    client.get(idea.get_absolute_url())
    # member, the idea (+author, category, merged_into, viewer voted / follows), ideas merged
    # into it, status history (+by), comments (+author), linked questions.
    with django_assert_num_queries(6):
        response = client.get(idea.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_home_section_query_count_does_not_grow(rf, django_assert_num_queries, count):
    _populate(count)
    request = rf.get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(2):  # top ideas, trending ideas
        section = home_section(request)
    assert section["top_ideas"]


@pytest.mark.parametrize("role", ["anonymous", "member", "moderator", "staff"])
def test_every_role_reads_the_board(client, role, member, moderator, staff):
    idea = IdeaFactory(title="Readable idea", status="planned")
    viewer = {"member": member, "moderator": moderator, "staff": staff}.get(role)
    if viewer:
        client.force_login(viewer)
    for url in (
        reverse("ideas:idea-list"),
        reverse("ideas:idea-roadmap"),
        reverse("ideas:idea-changelog"),
        idea.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    body = client.get(idea.get_absolute_url()).content.decode()
    assert ("Change status" in body) == (role == "staff")
    assert ("Log in to vote" in body) == (role == "anonymous")


def test_a_vote_counts_for_trending_at_once_and_ages_out_with_the_refresh(member):
    idea = IdeaFactory()
    services_ideas.idea_vote_cast(actor=member, idea=idea)
    idea.refresh_from_db()
    assert idea.recent_vote_count == 1
    later = timezone.now() + timedelta(days=15)
    assert services_ideas.idea_trending_refresh(now=later) == 1
    idea.refresh_from_db()
    assert idea.recent_vote_count == 0 and idea.vote_count == 1


def test_trending_refresh_task_recounts_the_window():
    idea = IdeaFactory()
    vote(idea, MemberFactory(), at=timezone.now() - timedelta(days=2))
    Idea.objects.filter(pk=idea.pk).update(recent_vote_count=7)
    idea_trending_refresh_task()
    assert Idea.objects.get(pk=idea.pk).recent_vote_count == 1


def test_sitemap_lists_public_ideas_only(client):
    public = IdeaFactory(title="Public idea")
    held = IdeaFactory(moderation_state="held")
    secret = IdeaFactory(category=IdeaCategoryFactory(ambassadors_only=True))
    body = client.get("/sitemap.xml").content.decode()
    assert public.get_absolute_url() in body and reverse("ideas:idea-roadmap") in body
    assert held.get_absolute_url() not in body and secret.get_absolute_url() not in body


@pytest.mark.parametrize("count", [2, 20])
def test_review_page_query_count_does_not_grow(client, staff, django_assert_num_queries, count):
    for _ in range(count):
        IdeaFactory()
    client.force_login(staff)
    client.get("/")
    # member (the session is cached), paginator count, page of new ideas (+author, category).
    with django_assert_num_queries(3):
        assert client.get(reverse("ideas:idea-review")).status_code == 200
