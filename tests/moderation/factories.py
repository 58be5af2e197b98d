import factory
from django.contrib.contenttypes.models import ContentType

from forum.models import Comment
from members.models import Member
from moderation.models import Document, Rule
from tests.factories import MemberFactory


class CommentFactory(factory.django.DjangoModelFactory):
    """A comment on a member's profile (any model can be the target of a comment)."""

    class Meta:
        model = Comment

    author = factory.SubFactory(MemberFactory)
    target_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(Member))
    target_id = factory.LazyAttribute(lambda o: o.author.pk)
    body = factory.Sequence(lambda n: f"A thoughtful comment number {n} about the product.")
    body_html = factory.LazyAttribute(lambda o: f"<p>{o.body}</p>")


def current_rule(number: int = 1) -> Rule:
    """A rule of the current rules version (recreated when a transactional test's flush
    removed the rows the data migration wrote)."""
    rule = (
        Rule.objects.filter(version__document__slug=Document.RULES)
        .order_by("-version__number")
        .filter(number=number)
        .first()
    )
    if rule is None:
        from moderation.models import DocumentVersion
        from moderation.services.rules import rules_cache_clear

        document, _ = Document.objects.get_or_create(
            slug=Document.RULES, defaults={"title": "Community rules"}
        )
        version, _ = DocumentVersion.objects.get_or_create(document=document, number=1)
        rule = Rule.objects.create(version=version, number=number, title=f"Rule {number}")
        rules_cache_clear()
    return rule


def new_member(**kwargs) -> Member:
    return MemberFactory(trust_level=Member.TrustLevel.NEW, **kwargs)
