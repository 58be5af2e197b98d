"""Arbitrary input to the moderation forms and query strings gives a page or a clean error,
never a server error."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderation.models import AuditLogEntry, Flag

pytestmark = pytest.mark.django_db

junk = st.text(max_size=30)
SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(a=junk, b=junk)
def test_diff_query_strings_never_fail(client, a, b):
    response = client.get("/rules/diff/", {"from": a, "to": b})
    assert response.status_code in (200, 400, 404)


@SETTINGS
@given(items=st.lists(junk, max_size=4), decision=junk, rule=junk, message=junk)
def test_bulk_form_never_fails(moderator_client, items, decision, rule, message):
    response = moderator_client.post(
        "/moderation/items/bulk/",
        {"items": items, "decision": decision, "rule": rule, "message": message},
    )
    assert response.status_code in (302, 400)


@SETTINGS
@given(kind=junk, days=junk, rule=junk)
def test_sanction_form_never_fails(moderator_client, other_member, kind, days, rule):
    response = moderator_client.post(
        f"/moderation/members/{other_member.username}/", {"kind": kind, "days": days, "rule": rule}
    )
    assert response.status_code in (302, 400)


@SETTINGS
@given(rule=junk, note=st.text(max_size=1200))
def test_flag_form_never_fails(member_client, other_member, rule, note):
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(other_member).pk
    response = member_client.post(
        f"/moderation/flag/{ct}/{other_member.pk}/", {"rule": rule, "note": note}
    )
    assert response.status_code in (302, 400)
    assert Flag.objects.count() <= 1
    assert AuditLogEntry.objects.count() == 0
