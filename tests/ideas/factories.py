"""Factories for the idea board (tests/forum/factories.py belongs to the Q&A tests)."""

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from config.markdown import render_markdown
from forum.models import Category, Follow
from ideas.models import Idea, IdeaVote
from ideas.services import idea_synchronize
from tests.factories import MemberFactory


class IdeaCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Product area {n}")
    slug = factory.Sequence(lambda n: f"product-area-{n}")


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea

    title = factory.Sequence(lambda n: f"Idea number {n} for the product")
    slug = factory.Sequence(lambda n: f"idea-number-{n}")
    description = "It would help **a lot**."
    description_html = factory.LazyAttribute(lambda o: render_markdown(o.description))
    category = factory.SubFactory(IdeaCategoryFactory)
    author = factory.SubFactory(MemberFactory)


def vote(idea, member, *, at=None):
    """A vote row plus the counters, the way idea_vote_cast leaves them (``at`` backdates)."""
    IdeaVote.objects.create(idea=idea, member=member, created_at=at or timezone.now())
    idea_synchronize(idea)
    idea.refresh_from_db()


def follow(idea, member):
    Follow.objects.get_or_create(
        member=member, target_type=ContentType.objects.get_for_model(Idea), target_id=idea.pk
    )


def follower_ids(idea) -> set[int]:
    return set(
        Follow.objects.filter(
            target_type=ContentType.objects.get_for_model(Idea), target_id=idea.pk
        ).values_list("member_id", flat=True)
    )
