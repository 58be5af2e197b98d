import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.template import Context, Template
from django.test import RequestFactory

from members.models import Member, Notification
from moderation import services
from moderation.content import ModerationState
from moderation.models import AuditLogEntry, Flag, QueueItem
from moderation.services.flags import flag_weight
from tests.factories import MemberFactory
from tests.moderation.factories import CommentFactory, new_member

pytestmark = pytest.mark.django_db


def flag_url(obj):
    ct = ContentType.objects.get_for_model(obj)
    return f"/moderation/flag/{ct.pk}/{obj.pk}/"


def test_three_flags_from_regular_members_hide_the_item(comment, rule):
    for _ in range(2):
        services.flag_create(flagger=MemberFactory(), target=comment, rule=rule)
    comment.refresh_from_db()
    assert comment.moderation_state == ModerationState.PUBLISHED
    assert QueueItem.objects.get(queue="flagged").resolved_at is None
    services.flag_create(flagger=MemberFactory(), target=comment, rule=rule)
    comment.refresh_from_db()
    assert comment.moderation_state == ModerationState.HIDDEN
    assert AuditLogEntry.objects.get().action == "auto_hide"
    assert Notification.objects.filter(recipient=comment.author, kind="moderation_hidden").exists()


def test_one_flag_from_a_new_member_does_not_hide(comment, rule):
    services.flag_create(flagger=new_member(), target=comment, rule=rule)
    comment.refresh_from_db()
    assert comment.moderation_state == ModerationState.PUBLISHED
    assert Flag.objects.get().weight == 0.5


def test_new_accounts_cannot_hide_a_post_by_flags_alone(rule):
    """Issue 15, row 8: six accounts made minutes earlier hid a staff answer by flagging it."""
    from tests.forum.factories import AnswerFactory

    answer = AnswerFactory(author=MemberFactory(is_staff=True), is_official=True)
    for _ in range(6):
        services.flag_create(flagger=new_member(), target=answer, rule=rule)
    answer.refresh_from_db()
    assert answer.moderation_state == ModerationState.PUBLISHED
    item = QueueItem.objects.get(queue="flagged")
    assert item.resolved_at is None and item.reason.count(rule.citation) == 6
    assert not AuditLogEntry.objects.filter(action="auto_hide").exists()
    # Members with some standing still can: their flags are what hides.
    for _ in range(3):
        services.flag_create(flagger=MemberFactory(), target=answer, rule=rule)
    answer.refresh_from_db()
    assert answer.moderation_state == ModerationState.HIDDEN


def test_a_member_flags_an_item_only_once(comment, rule, member):
    services.flag_create(flagger=member, target=comment, rule=rule)
    with pytest.raises(ValidationError):
        services.flag_create(flagger=member, target=comment, rule=rule)
    assert Flag.objects.count() == 1


def test_members_cannot_flag_their_own_posts(comment, rule):
    with pytest.raises(PermissionDenied):
        services.flag_create(flagger=comment.author, target=comment, rule=rule)


def test_flag_weight_grows_with_trust_and_past_accuracy(rule):
    leader = MemberFactory(trust_level=Member.TrustLevel.LEADER)
    assert flag_weight(leader) == 1.5
    accurate, sloppy = MemberFactory(), MemberFactory()
    for i in range(4):
        c = CommentFactory()
        Flag.objects.create(flagger=accurate, target=c, rule=rule, outcome="upheld")
        Flag.objects.create(flagger=sloppy, target=c, rule=rule, outcome="dismissed")
    assert flag_weight(accurate) > 1.3
    assert flag_weight(sloppy) < 0.7


def test_member_flags_through_the_page(member_client, comment, rule):
    response = member_client.post(
        flag_url(comment), {"rule": rule.pk, "note": "rude", "next": "/members/"}
    )
    assert response.status_code == 302 and response["Location"] == "/members/"
    flag = Flag.objects.get()
    assert flag.rule == rule and flag.note == "rude" and flag.member == comment.author
    # A second flag is refused with a message, nothing stored.
    member_client.post(flag_url(comment), {"rule": rule.pk})
    assert Flag.objects.count() == 1


def test_flag_page_without_javascript_and_bad_input(member_client, comment):
    assert member_client.get(flag_url(comment)).status_code == 200
    assert member_client.post(flag_url(comment), {"rule": "999999"}).status_code == 400
    assert member_client.get("/moderation/flag/999999/1/").status_code == 404
    assert not Flag.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in_to_flag(client, comment, rule):
    response = client.post(flag_url(comment), {"rule": rule.pk})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Flag.objects.exists()


def test_profiles_can_be_flagged(member_client, other_member, rule):
    member_client.post(flag_url(other_member), {"rule": rule.pk})
    item = QueueItem.objects.get(queue="flagged")
    assert item.target == other_member and item.member == other_member


def test_hidden_items_cannot_be_flagged_again(member_client, rule):
    hidden = CommentFactory(moderation_state=ModerationState.HIDDEN)
    assert member_client.post(flag_url(hidden), {"rule": rule.pk}).status_code == 404


def test_flag_button_runs_no_query_per_item(member, django_assert_num_queries, rule):
    comments = CommentFactory.create_batch(20)
    request = RequestFactory().get("/")
    request.user = member
    template = Template(
        "{% load moderation_tags %}{% for c in items %}{% moderation_controls c %}{% endfor %}"
    )
    ContentType.objects.get_for_model(comments[0])  # warm the content type cache
    member._is_moderator = False
    # 2 queries for 20 items: the current rules version and its rules (then cached).
    with django_assert_num_queries(2):
        html = template.render(Context({"items": comments, "user": member, "request": request}))
    assert html.count('class="flag-control"') == 20
    assert "Moderate" not in html
    with django_assert_num_queries(0):
        template.render(Context({"items": comments, "user": member, "request": request}))


def test_moderators_see_actions_and_authors_see_no_flag_button(moderator, rule):
    mine = CommentFactory(author=moderator)
    request = RequestFactory().get("/")
    request.user = moderator
    html = Template("{% load moderation_tags %}{% moderation_controls target %}").render(
        Context({"target": mine, "user": moderator, "request": request})
    )
    assert 'class="flag-control"' not in html
    assert "Hide" in html and "/moderation/members/id/" in html


def test_profile_page_offers_a_flag_button_to_members_and_a_history_link_to_moderators(
    client, member, moderator, other_member
):
    url = f"/members/{other_member.username}/"
    assert 'class="flag-control"' not in client.get(url).content.decode()  # visitors cannot flag
    client.force_login(member)
    html = client.get(url).content.decode()
    assert 'class="flag-control"' in html and "Moderation history" not in html
    assert 'class="flag-control"' not in client.get(f"/members/{member.username}/").content.decode()
    client.force_login(moderator)
    assert "Moderation history" in client.get(url).content.decode()


def test_upholding_flags_on_a_profile_warns_its_owner(moderator, other_member, rule):
    services.flag_create(flagger=MemberFactory(), target=other_member, rule=rule)
    item = QueueItem.objects.get(queue="flagged")
    services.queue_item_reject(actor=moderator, item=item, rule=rule, message="Fix your bio.")
    assert AuditLogEntry.objects.get().action == "flags_uphold"
    assert Notification.objects.filter(recipient=other_member, kind="moderation_warned").exists()
    assert Flag.objects.get().outcome == "upheld"


def test_what_a_member_may_not_see_cannot_be_flagged_or_read_through_the_flag_page(
    member_client, member, rule
):
    """Issue 15, row 5: the flag page showed ambassador-only and deleted posts to anyone."""
    from django.utils import timezone

    from tests.forum.factories import AnswerFactory, CategoryFactory, QuestionFactory
    from tests.ideas.factories import IdeaFactory

    lounge = CategoryFactory(slug="lounge", ambassadors_only=True)
    private_question = QuestionFactory(title="Ambassadors only: the roadmap", category=lounge)
    private_idea = IdeaFactory(title="Ambassadors only: new tier", category=lounge)
    deleted_answer = AnswerFactory(body="An answer its author deleted")
    deleted_answer.deleted_at = timezone.now()
    deleted_answer.save(update_fields=["deleted_at"])
    for target in (private_question, private_idea, deleted_answer):
        page = member_client.get(flag_url(target))
        assert page.status_code == 404
        assert "Ambassadors only" not in page.content.decode()
        assert member_client.post(flag_url(target), {"rule": rule.pk}).status_code == 404
        with pytest.raises(ValidationError):
            services.flag_create(flagger=member, target=target, rule=rule)
    assert not Flag.objects.exists()
    # An ambassador may flag what the lounge shows them.
    ambassador = MemberFactory(badge="ambassador")
    member_client.force_login(ambassador)
    assert member_client.get(flag_url(private_question)).status_code == 200
    member_client.post(flag_url(private_question), {"rule": rule.pk})
    assert Flag.objects.filter(target_id=private_question.pk).count() == 1


def test_each_members_flag_links_carry_their_own_path(rule):
    """Issue 15, row 12: a member's page is never shared, so the flag links send each member
    back to the address they came from, never to another member's."""
    from tests.factories import MemberFactory, logged_in
    from tests.forum.factories import AnswerFactory

    answer = AnswerFactory()
    page = answer.question.get_absolute_url()
    alice, bob = logged_in(MemberFactory()), logged_in(MemberFactory())
    alice_html = alice.get(page + "?from=alice-path").content.decode()
    bob_html = bob.get(page).content.decode()
    assert "alice-path" in alice_html
    assert 'class="flag-control"' in bob_html and "alice-path" not in bob_html
