from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from members.models import Member
from moderation import services
from moderation.content import ModerationState
from moderation.models import BlockedWord, PostFingerprint, QueueItem
from tests.factories import MemberFactory
from tests.moderation.factories import CommentFactory, new_member

pytestmark = pytest.mark.django_db


def screen(author, text="A perfectly ordinary post about exports.", kind="answer"):
    return services.content_screen(author=author, text=text, kind=kind)


def test_a_new_members_first_posts_are_held_until_enough_are_published(settings):
    settings.VECHE_TRUST_NEW_HELD_POSTS = 2
    author = new_member()
    first = screen(author, "first")
    assert first.hold and "new member" in first.reasons[0]
    CommentFactory.create_batch(2, author=author)  # two published posts
    assert not screen(author, "third post").hold


def test_regular_members_are_not_held_for_ordinary_posts(member):
    result = screen(member)
    assert not result.hold and result.reasons == []


def test_too_many_links_for_the_trust_level_are_held(member):
    many = " ".join(f"https://example.com/{i}" for i in range(11))
    assert screen(member, many).hold
    newbie = MemberFactory(trust_level=Member.TrustLevel.BASIC)
    result = screen(newbie, "see https://a.example and https://b.example")
    assert not result.hold
    result = screen(newbie, " ".join(f"https://x.example/{i}" for i in range(5)))
    assert result.hold and "Too many links" in result.reasons[0]


def test_blocked_words_hold_a_post_whole_words_only(member, staff_client):
    staff_client.post("/moderation/blocked-words/", {"word": "Casino"})
    assert BlockedWord.objects.filter(word="casino").exists()
    result = screen(member, "Best CASINO bonus here")
    assert result.hold and "casino" in result.reasons[0]
    assert not screen(member, "occasinos are not words").hold


def test_the_same_text_posted_again_is_held(member):
    assert not screen(member, "Buy now").hold
    result = screen(member, "  buy   NOW ")
    assert result.hold and "same text" in result.reasons[0]


def test_posting_too_fast_is_held_and_new_members_have_a_tighter_limit(settings):
    settings.VECHE_TRUST_RATE_LIMITS = {0: 2, 1: 8, 2: 4, 3: 40}
    regular = MemberFactory()
    results = [screen(regular, f"post {i}").hold for i in range(5)]
    assert results == [False, False, False, False, True]
    settings.VECHE_TRUST_NEW_HELD_POSTS = 0
    newbie = new_member()
    results = [screen(newbie, f"post {i}").hold for i in range(3)]
    assert results == [False, False, True]


def test_old_posts_do_not_count_for_speed_or_repeats(member, settings):
    settings.VECHE_TRUST_RATE_LIMITS = {2: 1}
    screen(member, "same")
    later = timezone.now() + timedelta(days=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert not screen(member, "same").hold


def test_moderators_are_never_held(moderator):
    assert not screen(moderator, " ".join(["https://x.example"] * 50)).hold


def test_held_posts_of_new_members_get_priority(member):
    newbie = new_member()
    held_new = CommentFactory(author=newbie, moderation_state=ModerationState.HELD)
    held_regular = CommentFactory(author=member, moderation_state=ModerationState.HELD)
    a = services.content_held(target=held_new, author=newbie, reasons=["x"])
    b = services.content_held(target=held_regular, author=member, reasons=["y"])
    assert a.priority > b.priority
    assert list(QueueItem.objects.all()) == [a, b]


def test_fingerprints_are_pruned(member):
    screen(member)
    from moderation.services.screening import fingerprints_prune

    assert fingerprints_prune(now=timezone.now() + timedelta(days=3)) == 1
    assert not PostFingerprint.objects.exists()


@pytest.mark.parametrize("field", ["silenced_until", "suspended_until"])
def test_silenced_or_suspended_members_cannot_post(member, field):
    setattr(member, field, timezone.now() + timedelta(hours=1))
    with pytest.raises(PermissionDenied):
        services.check_can_post(member)


def test_banned_and_anonymous_cannot_post(member):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.check_can_post(AnonymousUser())
    member.banned_at = timezone.now()
    with pytest.raises(PermissionDenied):
        services.check_can_post(member)
