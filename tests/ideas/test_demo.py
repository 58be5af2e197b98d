import io
import random

import pytest
from django.core.management import call_command

from config.seeding import SeedContext
from forum.models import Comment
from ideas import demo as demo_ideas
from ideas.models import Idea, IdeaQuestionLink, IdeaStatusChange, IdeaVote
from moderation.models import QueueItem
from tests.factories import MemberFactory
from tests.ideas.factories import follower_ids

pytestmark = pytest.mark.django_db


def _ctx(**sizes) -> SeedContext:
    members = [MemberFactory() for _ in range(15)]
    staff = MemberFactory(is_staff=True)
    ctx = SeedContext(stdout=io.StringIO(), rng=random.Random(1), quiet=True)
    ctx.sizes.update(sizes)
    ctx.data.update(member_ids=[m.pk for m in members], staff_ids=[staff.pk])
    return ctx


def test_demo_ideas_have_votes_comments_history_and_exact_counters():
    demo_ideas.seed(_ctx(ideas=40, idea_votes=200, idea_comments=30))
    assert Idea.objects.count() == 40
    statuses = set(Idea.objects.values_list("status", flat=True))
    assert {"new", "under_review", "shipped"} <= statuses
    assert IdeaVote.objects.exists() and Comment.objects.count() == 30
    for idea in Idea.objects.all():
        assert idea.vote_count == idea.votes.count()
        history = list(idea.status_changes.order_by("at"))
        assert (history[-1].to_status if history else "new") == idea.status
        assert all(v.created_at >= idea.created_at for v in idea.votes.all())
        assert set(idea.votes.values_list("member_id", flat=True)) <= follower_ids(idea)
    assert (
        QueueItem.objects.filter(queue="new_ideas").count()
        == Idea.objects.filter(status="new").count()
    )
    assert IdeaStatusChange.objects.exists()


def test_demo_ideas_get_exactly_the_requested_votes_and_authors_follow_once():
    # 15 members and 200 ideas: popular ideas hit the 15-voter cap, the rest make up for it,
    # and the rounding of each idea's share does not change the total.
    demo_ideas.seed(_ctx(ideas=200, idea_votes=1000, idea_comments=0))
    assert IdeaVote.objects.count() == 1000
    assert IdeaVote.objects.filter(idea__vote_count__gt=15).count() == 0
    for idea in Idea.objects.all():
        assert idea.author_id in follower_ids(idea)


def test_demo_ideas_run_twice_add_nothing():
    ctx = _ctx(ideas=10, idea_votes=30, idea_comments=5)
    demo_ideas.seed(ctx)
    demo_ideas.seed(ctx)
    assert Idea.objects.count() == 10


def test_seed_demo_command_runs_the_idea_board_after_the_forum():
    call_command(
        "seed_demo",
        "--members=12",
        "--ideas=8",
        "--idea-votes=20",
        "--idea-comments=4",
        "--questions=5",
        "--answers=5",
        "--comments=5",
        "--votes=10",
        "--activity-days=50",
        "--quiet",
    )
    assert Idea.objects.count() == 8
    assert IdeaQuestionLink.objects.exists()  # ideas linked to the demo questions
