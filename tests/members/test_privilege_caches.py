"""Privileges and visibility never come from a cached value a concurrent request refilled
with the data as it was before a change committed (issue 15, rows 2 and 3; members.caching).

A concurrent request sees the rows as they were until the change commits. On SQLite the test
plays it on the same connection: the change is undone inside a savepoint, the cached getter
runs (filling the cache with the old value, as the concurrent request would), and the
savepoint is rolled back; then the change commits. On PostgreSQL two threads with their own
connections race for real."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from members.backends import MemberAuthenticationBackend
from members.models import MODERATORS_GROUP, CommunitySettings, Member
from members.selectors import community_settings_get
from moderation import services as moderation_services
from moderation.models import BlockedWord, Document, DocumentVersion
from moderation.services.rules import document_version_publish, rules_state
from moderation.services.screening import blocked_words
from tests.factories import MemberFactory, ModeratorFactory, logged_in
from tests.moderation.factories import current_rule

ADMIN_SETTINGS_URL = "/admin/members/communitysettings/1/change/"


def read_as_before_the_commit(undo: Callable[[], Any], read: Callable[[], Any]) -> Any:
    """``read()`` as a concurrent request runs it while the change is not committed yet: it
    sees the rows as they were. What it puts in the cache stays, as that request's would."""
    savepoint = transaction.savepoint()
    try:
        undo()
        return read()
    finally:
        transaction.savepoint_rollback(savepoint)


def settings_form(private: bool) -> dict:
    settings = CommunitySettings.objects.get(pk=1)
    form = {
        "community_name": settings.community_name,
        "tagline": settings.tagline,
        "deleted_member_posts": settings.deleted_member_posts,
    }
    if private:
        form["private"] = "on"
    return form


def moderator_flag(member_id: int) -> bool:
    """The flag as a request sees it: the signed-in member from this process's snapshot."""
    member = MemberAuthenticationBackend().get_user(member_id)
    assert member is not None
    return member.is_moderator


# --- row 2: the private switch --------------------------------------------------------------


@pytest.mark.django_db
def test_private_mode_holds_even_if_a_concurrent_request_refilled_the_cache(
    client, django_capture_on_commit_callbacks
):
    staff = logged_in(MemberFactory(is_staff=True, is_superuser=True))
    assert client.get("/questions/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert staff.post(ADMIN_SETTINGS_URL, settings_form(private=True)).status_code == 302
        old = read_as_before_the_commit(
            undo=lambda: CommunitySettings.objects.filter(pk=1).update(private=False),
            read=lambda: community_settings_get().private,
        )
        assert old is False
    assert community_settings_get().private is True
    response = client.get("/questions/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- row 3: the moderator flag --------------------------------------------------------------


@pytest.mark.django_db
def test_a_moderator_removed_from_the_group_loses_the_inbox_despite_a_concurrent_refill(
    django_capture_on_commit_callbacks,
):
    moderator = ModeratorFactory()
    group = Group.objects.get(name=MODERATORS_GROUP)
    client = logged_in(moderator)
    assert client.get("/moderation/").status_code == 200
    through = Member.groups.through
    with django_capture_on_commit_callbacks(execute=True):
        moderator.groups.remove(group)
        old = read_as_before_the_commit(
            undo=lambda: through.objects.bulk_create(
                [through(member_id=moderator.pk, group_id=group.pk)]
            ),
            read=lambda: moderator_flag(moderator.pk),
        )
        assert old is True
    assert moderator_flag(moderator.pk) is False
    assert Member.objects.get(pk=moderator.pk).is_moderator is False
    assert client.get("/moderation/").status_code == 403


@pytest.mark.django_db
def test_renaming_the_moderators_group_takes_the_flag_away(django_capture_on_commit_callbacks):
    moderator = ModeratorFactory()
    assert moderator_flag(moderator.pk) is True
    with django_capture_on_commit_callbacks(execute=True):
        group = Group.objects.get(name=MODERATORS_GROUP)
        group.name = "Former moderators"
        group.save()
    assert moderator_flag(moderator.pk) is False


# --- the signed-in member's own row (members.selectors.member_row) ---------------------------


def signed_in(member_id: int) -> bool:
    """Whether a request with this member's session gets them (their row from the cache)."""
    return MemberAuthenticationBackend().get_user(member_id) is not None


@pytest.mark.django_db
def test_a_ban_signs_the_member_out_despite_a_concurrent_refill_of_their_row(
    django_capture_on_commit_callbacks,
):
    member = MemberFactory()
    client = logged_in(member)
    client.get("/")
    assert signed_in(member.pk)
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.member_ban(actor=ModeratorFactory(), member=member, rule=current_rule())
        old = read_as_before_the_commit(
            undo=lambda: Member.objects.filter(pk=member.pk).update(banned_at=None),
            read=lambda: signed_in(member.pk),
        )
        assert old is True
    assert not signed_in(member.pk)
    assert member.name not in client.get("/").content.decode()


# --- the same rule for the blocked words and the rules state --------------------------------


@pytest.mark.django_db
def test_a_word_blocked_in_the_admin_is_screened_despite_a_concurrent_refill(
    django_capture_on_commit_callbacks,
):
    staff = logged_in(MemberFactory(is_staff=True, is_superuser=True))
    assert blocked_words() == []
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post("/admin/moderation/blockedword/add/", {"word": "spamword"})
        assert response.status_code == 302
        old = read_as_before_the_commit(
            undo=lambda: BlockedWord.objects.filter(word="spamword").delete(), read=blocked_words
        )
        assert old == []
    assert blocked_words() == ["spamword"]


@pytest.mark.django_db
def test_rules_requiring_reacceptance_are_required_despite_a_concurrent_refill(
    django_capture_on_commit_callbacks,
):
    current_rule()
    staff = MemberFactory(is_staff=True, is_superuser=True)
    assert rules_state()["required_number"] is None
    with django_capture_on_commit_callbacks(execute=True):
        version = document_version_publish(
            actor=staff,
            document=Document.objects.get(slug=Document.RULES),
            change_summary="Stricter",
            rules=[("Be kind", "")],
            requires_reacceptance=True,
        )
        old = read_as_before_the_commit(
            undo=lambda: DocumentVersion.objects.filter(pk=version.pk).update(
                requires_reacceptance=False
            ),
            read=lambda: rules_state()["required_number"],
        )
        assert old is None
    assert rules_state()["required_number"] == version.number


# --- two real clients on PostgreSQL, with the cache on Redis as in production ----------------


def race(change: Callable[[], Any], read: Callable[[], Any]) -> tuple[int, Any]:
    """One thread makes ``change`` in a transaction and commits it while the other keeps
    reading through the cached getter: the reads during the transaction fill the cache with
    the old value, and reads are in flight when the commit lands. Returns how many reads ran
    before the commit was known and the first read that started after it."""
    barrier = threading.Barrier(2)
    read_during = threading.Event()
    committed = threading.Event()
    outcome: dict[str, Any] = {}

    def writer() -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                change()
                read_during.wait(10)  # the other client has read while this is uncommitted
            committed.set()
        except Exception as exc:  # noqa: BLE001 - reported by the test
            outcome["writer"] = exc
            committed.set()
        finally:
            connection.close()

    def reader() -> None:
        try:
            barrier.wait()
            reads = 0
            while not committed.is_set():
                read()
                reads += 1
                if reads >= 3:
                    read_during.set()
            outcome["reads"] = reads
            outcome["after"] = read()
        except Exception as exc:  # noqa: BLE001 - reported by the test
            outcome["reader"] = exc
            read_during.set()
        finally:
            connection.close()

    threads = [threading.Thread(target=writer), threading.Thread(target=reader)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert "writer" not in outcome and "reader" not in outcome, outcome
    return outcome["reads"], outcome["after"]


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_private_mode_between_two_concurrent_clients_on_postgresql(redis_cache):
    CommunitySettings.objects.get_or_create(pk=1)
    staff = logged_in(MemberFactory(is_staff=True, is_superuser=True))

    def switch(private: bool) -> Callable[[], None]:
        def post() -> None:
            response = staff.post(ADMIN_SETTINGS_URL, settings_form(private))
            assert response.status_code == 302

        return post

    for round_ in range(20):
        private = round_ % 2 == 0  # on, off, on, …
        reads, after = race(switch(private), lambda: community_settings_get().private)
        assert reads >= 3
        assert after is private, f"round {round_}: read {after} after the commit"
        assert community_settings_get().private is private


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_moderator_flag_between_two_concurrent_clients_on_postgresql(redis_cache):
    moderator = ModeratorFactory()
    group = Group.objects.get(name=MODERATORS_GROUP)

    def change(stays: bool) -> Callable[[], None]:
        return lambda: moderator.groups.add(group) if stays else moderator.groups.remove(group)

    for round_ in range(20):
        stays = round_ % 2 == 1  # removed, added back, removed, …
        reads, after = race(change(stays), lambda: moderator_flag(moderator.pk))
        assert reads >= 3
        assert after is stays, f"round {round_}: read {after} after the commit"


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_members_row_between_two_concurrent_clients_on_postgresql(redis_cache):
    """A ban and its lifting, raced against a client reading the member's row: the first read
    after each commit sees it."""
    member = MemberFactory()

    def change(banned: bool) -> Callable[[], None]:
        return lambda: Member.objects.filter(pk=member.pk).update(
            banned_at=timezone.now() if banned else None
        )

    for round_ in range(20):
        banned = round_ % 2 == 0  # banned, lifted, banned, …
        reads, after = race(change(banned), lambda: signed_in(member.pk))
        assert reads >= 3
        assert after is not banned, f"round {round_}: read {after} after the commit"
