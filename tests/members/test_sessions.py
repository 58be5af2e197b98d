"""Members see the browsers they are signed in with (allauth's user sessions) and can end
them."""

import pytest
from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db


def sign_in(member, agent: str) -> Client:
    client = Client(HTTP_USER_AGENT=agent)
    response = client.post(
        reverse("account_login"), {"login": member.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def test_a_member_sees_their_sessions_and_ends_the_others():
    member = MemberFactory()
    laptop = sign_in(member, "Laptop browser/1.0")
    phone = sign_in(member, "Phone browser/2.0")
    MemberFactory()
    page = laptop.get(reverse("usersessions_list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Laptop browser/1.0" in text and "Phone browser/2.0" in text
    assert UserSession.objects.filter(user=member).count() == 2
    assert reverse("usersessions_list") in laptop.get(reverse("members:settings")).content.decode()
    response = laptop.post(reverse("usersessions_list"), {"action": "sign_out"})
    assert response.status_code == 302
    assert UserSession.objects.filter(user=member).count() == 1
    assert phone.get(reverse("members:settings")).status_code == 302
    assert laptop.get(reverse("members:settings")).status_code == 200


def test_visitors_have_no_sessions_page():
    response = Client().get(reverse("usersessions_list"))
    assert response.status_code == 302
