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
from django.db import connection, transaction

from members.models import CommunitySettings
from members.selectors import community_settings_get
from tests.factories import MemberFactory, logged_in

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
    form = {"community_name": settings.community_name, "tagline": settings.tagline}
    if private:
        form["private"] = "on"
    return form


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


# --- two real clients on PostgreSQL ---------------------------------------------------------


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
@pytest.mark.django_db(transaction=True)
def test_private_mode_between_two_concurrent_clients_on_postgresql():
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
