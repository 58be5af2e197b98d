"""Pinned query counts of the moderation pages not covered elsewhere: the same number with
few and many rows."""

from datetime import timedelta

import pytest

from moderation import services
from moderation.models import Document
from tests.factories import MemberFactory
from tests.moderation.factories import CommentFactory

pytestmark = pytest.mark.django_db


def publish(staff, n):
    document = Document.objects.get(slug="rules")
    for i in range(n):
        services.document_version_publish(
            actor=staff,
            document=document,
            change_summary=f"Change {i}",
            rules=[(f"Rule {i}", "text")],
        )


def test_versions_page(client, staff, django_assert_num_queries):
    client.get("/rules/versions/")
    # document, versions (+ publisher joined, rule count annotated)
    with django_assert_num_queries(2):
        client.get("/rules/versions/")
    publish(staff, 5)
    with django_assert_num_queries(2):
        html = client.get("/rules/versions/").content.decode()
    assert "Change 4" in html


def test_diff_page(client, staff, django_assert_num_queries):
    publish(staff, 1)
    client.get("/rules/diff/?from=1&to=2")
    # document, version list, old version + its rules, new version + its rules
    with django_assert_num_queries(6):
        client.get("/rules/diff/?from=1&to=2")


def test_member_moderation_page(client, moderator, rule, django_assert_num_queries):
    target = MemberFactory()
    client.force_login(moderator)

    def fill(n):
        for _ in range(n):
            services.member_warn(actor=moderator, member=target, rule=rule)
            services.flag_create(
                flagger=MemberFactory(), target=CommentFactory(author=target), rule=rule
            )

    fill(2)
    client.get(f"/moderation/members/{target.username}/")
    client.get(
        f"/moderation/members/{target.username}/"
    )  # the member's row again: the day's first visit touched it
    # member, current rules (form), sanctions, flags, flag stats; the moderator's row, the
    # session and the moderator group check come from the cache
    with django_assert_num_queries(5) as few:
        client.get(f"/moderation/members/{target.username}/")
    fill(10)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(f"/moderation/members/{target.username}/")


def test_appeal_page(client, moderator, rule, django_assert_num_queries):
    services.member_silence(
        actor=moderator, member=(m := MemberFactory()), duration=timedelta(days=1), rule=rule
    )
    from moderation.models import AuditLogEntry

    entry = AuditLogEntry.objects.get()
    client.force_login(m)
    assert client.get(f"/moderation/appeal/{entry.pk}/").status_code == 200
    # member, decision (+ rule, actor), appeal; the session and the header's moderator check
    # come from the cache
    with django_assert_num_queries(3):
        client.get(f"/moderation/appeal/{entry.pk}/")


def test_blocked_words_page(staff_client, staff, django_assert_num_queries):
    from moderation.models import BlockedWord

    BlockedWord.objects.bulk_create([BlockedWord(word=f"w{i}") for i in range(3)])
    staff_client.get("/moderation/blocked-words/")
    staff_client.get(
        "/moderation/blocked-words/"
    )  # the member's row again: the day's first visit touched it
    # the words (the member's row and the session come from the cache)
    with django_assert_num_queries(1):
        staff_client.get("/moderation/blocked-words/")
    BlockedWord.objects.bulk_create([BlockedWord(word=f"x{i}") for i in range(30)])
    # the words: the list itself is never cached
    with django_assert_num_queries(1):
        html = staff_client.get("/moderation/blocked-words/").content.decode()
    assert "x29" in html


def test_flag_and_accept_pages(member_client, other_member, django_assert_num_queries):
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(other_member).pk
    url = f"/moderation/flag/{ct}/{other_member.pk}/"
    member_client.get(url)
    member_client.get(url)  # the member's row again: the day's first visit touched it
    # target, current rules (form); the member's row, the session and the header's moderator
    # check come from the cache
    with django_assert_num_queries(2):
        assert member_client.get(url).status_code == 200
    member_client.get("/rules/accept/")
    # document, version + publisher, its rules; the member's row, the session and the header's
    # moderator check come from the cache, and no acceptance check runs because no published
    # version requires re-acceptance (rules_state is cached)
    with django_assert_num_queries(3):
        assert member_client.get("/rules/accept/").status_code == 200
