"""Members see the browsers they are signed in with, with when each was last seen, and end
one chosen browser or all the others (members/services_sessions.py)."""

from datetime import timedelta

import pytest
from allauth.usersessions.models import UserSession
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members import services_sessions
from members.services_sessions import _seen_cache_key
from tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db


def sign_in(member, agent: str, address: str = "198.51.100.7") -> Client:
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    response = client.post(
        reverse("account_login"), {"login": member.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def signed_in(client: Client) -> bool:
    return client.get(reverse("members:settings")).status_code == 200


def session_of(member, agent: str) -> UserSession:
    return UserSession.objects.get(user=member, user_agent=agent)


def test_the_list_shows_each_browser_with_address_agent_and_last_seen():
    member = MemberFactory()
    laptop = sign_in(member, "Laptop browser/1.0", "198.51.100.7")
    sign_in(member, "Phone browser/2.0", "203.0.113.9")
    other = MemberFactory()
    sign_in(other, "Someone else's browser/3.0")
    UserSession.objects.filter(user=member, user_agent="Phone browser/2.0").update(
        last_seen_at=timezone.now() - timedelta(hours=3)
    )
    page = laptop.get(reverse("members:sessions"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Laptop browser/1.0" in text and "198.51.100.7" in text
    assert "Phone browser/2.0" in text and "203.0.113.9" in text
    assert "Someone else" not in text
    assert "3\xa0hours ago" in text  # the phone's last seen
    assert "This browser" in text
    assert text.count('<tr class="session') == 2
    # Settings links to it; allauth's own page sends there.
    assert reverse("members:sessions") in laptop.get(reverse("members:settings")).content.decode()
    assert laptop.get("/accounts/sessions/")["Location"] == reverse("members:sessions")


def test_ending_one_chosen_browser_signs_it_out_and_leaves_the_others():
    member = MemberFactory()
    laptop = sign_in(member, "Laptop")
    phone = sign_in(member, "Phone")
    tablet = sign_in(member, "Tablet")
    response = laptop.post(reverse("members:session-end", args=[session_of(member, "Phone").pk]))
    assert response.status_code == 302 and response["Location"] == reverse("members:sessions")
    assert not signed_in(phone)
    assert phone.get(reverse("members:sessions")).status_code == 302  # anonymous now
    assert signed_in(laptop) and signed_in(tablet)
    assert set(UserSession.objects.filter(user=member).values_list("user_agent", flat=True)) == {
        "Laptop",
        "Tablet",
    }
    assert "Phone" not in laptop.get(reverse("members:sessions")).content.decode()


def test_in_the_page_the_ended_browser_s_row_goes_away():
    member = MemberFactory()
    laptop = sign_in(member, "Laptop")
    phone = sign_in(member, "Phone")
    page = laptop.get(reverse("members:sessions")).content.decode()
    target = session_of(member, "Phone")
    assert f'hx-target="#session-{target.pk}"' in page
    response = laptop.post(reverse("members:session-end", args=[target.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response.content == b""
    assert not signed_in(phone) and signed_in(laptop)


def test_ending_the_current_browser_signs_it_out():
    member = MemberFactory()
    laptop = sign_in(member, "Laptop")
    phone = sign_in(member, "Phone")
    response = laptop.post(reverse("members:session-end", args=[session_of(member, "Laptop").pk]))
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert not signed_in(laptop)
    assert signed_in(phone)


def test_signing_out_every_other_browser():
    member = MemberFactory()
    laptop = sign_in(member, "Laptop")
    phone = sign_in(member, "Phone")
    tablet = sign_in(member, "Tablet")
    assert laptop.post(reverse("members:session-end-others")).status_code == 302
    assert signed_in(laptop) and not signed_in(phone) and not signed_in(tablet)
    assert list(UserSession.objects.filter(user=member).values_list("user_agent", flat=True)) == [
        "Laptop"
    ]


@pytest.mark.parametrize("role", ["other member", "staff"])
def test_nobody_ends_another_members_session(role):
    owner = MemberFactory()
    owner_browser = sign_in(owner, "Owner's browser")
    intruder = MemberFactory(is_staff=role == "staff")
    client = Client()
    client.force_login(intruder)
    target = session_of(owner, "Owner's browser")
    assert client.post(reverse("members:session-end", args=[target.pk])).status_code == 404
    assert client.post(reverse("members:session-end", args=[999999])).status_code == 404
    assert signed_in(owner_browser)
    assert UserSession.objects.filter(pk=target.pk).exists()
    assert "Owner's browser" not in client.get(reverse("members:sessions")).content.decode()


def test_visitors_have_no_sessions_page_and_end_nothing():
    owner = MemberFactory()
    sign_in(owner, "Owner's browser")
    target = session_of(owner, "Owner's browser")
    visitor = Client()
    assert visitor.get(reverse("members:sessions")).status_code == 302
    response = visitor.post(reverse("members:session-end", args=[target.pk]))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert UserSession.objects.filter(pk=target.pk).exists()


def test_ending_a_session_takes_a_post():
    member = MemberFactory()
    laptop = sign_in(member, "Laptop")
    url = reverse("members:session-end", args=[session_of(member, "Laptop").pk])
    assert laptop.get(url).status_code == 405
    assert signed_in(laptop)


def test_a_suspended_member_is_signed_out_and_can_end_nothing():
    member = MemberFactory()
    laptop = sign_in(member, "Laptop")
    sign_in(member, "Phone")
    member.suspended_until = timezone.now() + timedelta(days=1)
    member.save(update_fields=["suspended_until"])
    response = laptop.post(reverse("members:session-end", args=[session_of(member, "Phone").pk]))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert UserSession.objects.filter(user=member, user_agent="Phone").exists()


def test_a_browser_whose_session_expired_is_not_listed():
    member = MemberFactory()
    laptop = sign_in(member, "Laptop")
    sign_in(member, "Phone")
    phone = session_of(member, "Phone")
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key=phone.session_key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )
    text = laptop.get(reverse("members:sessions")).content.decode()
    assert "Phone" not in text and "Laptop" in text
    assert not UserSession.objects.filter(pk=phone.pk).exists()


def test_the_page_takes_a_fixed_number_of_queries(django_assert_max_num_queries):
    member = MemberFactory()
    laptop = sign_in(member, "Laptop")
    laptop.get(reverse("members:sessions"))
    for n in range(5):
        sign_in(member, f"Browser {n}")
    with django_assert_max_num_queries(6):
        page = laptop.get(reverse("members:sessions"))
    assert page.content.decode().count('<tr class="session') == 6


def _session_writes(queries) -> list[str]:
    return [
        q["sql"] for q in queries if "usersessions_usersession" in q["sql"] and "UPDATE" in q["sql"]
    ]


def test_last_seen_is_written_at_most_once_per_period_per_browser(settings, monkeypatch):
    settings.VECHE_SESSION_SEEN_MINUTES = 5
    member = MemberFactory()
    laptop = sign_in(member, "Laptop")
    row = session_of(member, "Laptop")
    long_ago = timezone.now() - timedelta(hours=2)
    UserSession.objects.filter(pk=row.pk).update(last_seen_at=long_ago)
    laptop.get(reverse("members:settings"))  # the privilege caches fill
    # The log-in request wrote "seen" already: ordinary pages now add no query at all.
    with CaptureQueriesContext(connection) as with_tracking:
        assert laptop.get(reverse("members:settings")).status_code == 200
    assert _session_writes(with_tracking.captured_queries) == []
    settings.VECHE_SESSION_SEEN_MINUTES = 0
    with CaptureQueriesContext(connection) as without_tracking:
        laptop.get(reverse("members:settings"))
    assert len(with_tracking.captured_queries) == len(without_tracking.captured_queries)
    settings.VECHE_SESSION_SEEN_MINUTES = 5
    assert session_of(member, "Laptop").last_seen_at == long_ago
    # The period is over (its cache key expired, and the time this process noted for it
    # passed): the next page writes once, then not again.
    cache.delete(_seen_cache_key(row.session_key))
    monkeypatch.setattr(services_sessions, "_running", {})
    with CaptureQueriesContext(connection) as first:
        laptop.get(reverse("members:settings"))
    with CaptureQueriesContext(connection) as second:
        laptop.get(reverse("members:settings"))
    assert len(_session_writes(first.captured_queries)) == 1
    assert _session_writes(second.captured_queries) == []
    assert session_of(member, "Laptop").last_seen_at > timezone.now() - timedelta(minutes=1)


def test_within_a_period_a_browsers_pages_do_not_ask_the_cache_again(settings, monkeypatch):
    """The process notes the period it started: the pages after it cost no cache call."""
    settings.VECHE_SESSION_SEEN_MINUTES = 5
    laptop = sign_in(MemberFactory(), "Laptop")
    laptop.get(reverse("members:settings"))
    asked = []
    backend = type(caches["default"])
    real_add = backend.add

    def counting_add(self, key, *args, **kwargs):
        asked.append(key)
        return real_add(self, key, *args, **kwargs)

    monkeypatch.setattr(backend, "add", counting_add)
    for _ in range(3):
        assert laptop.get(reverse("members:settings")).status_code == 200
    assert [key for key in asked if key.startswith(services_sessions.SEEN_KEY)] == []


def test_visitors_pages_record_nothing(client):
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("home"))
    assert _session_writes(queries.captured_queries) == []


def test_with_sessions_only_in_the_cache_the_list_and_ending_still_work(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    member = MemberFactory()
    laptop = sign_in(member, "Laptop")
    phone = sign_in(member, "Phone")
    text = laptop.get(reverse("members:sessions")).content.decode()
    assert "Laptop" in text and "Phone" in text
    laptop.post(reverse("members:session-end", args=[session_of(member, "Phone").pk]))
    assert not signed_in(phone) and signed_in(laptop)
