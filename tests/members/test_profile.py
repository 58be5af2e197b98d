import pytest
from django.urls import reverse

from members.models import Expertise, Member
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_member_edits_profile_and_expertise(member_client, member):
    response = member_client.post(
        reverse("members:settings-profile"),
        {
            "profile-display_name": "Anna K.",
            "profile-bio": "I run billing at ACME.",
            "profile-website": "https://acme.example",
            "profile-preferred_language": "en",
            "profile-expertise": "Billing, API , billing",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.display_name == "Anna K."
    assert set(Expertise.objects.filter(member=member).values_list("tag_slug", flat=True)) == {
        "billing",
        "api",
    }
    page = member_client.get(reverse("members:profile", args=[member.username]))
    assert "Anna K." in page.content.decode()
    assert "I run billing at ACME." in page.content.decode()


def test_invalid_profile_shows_an_error_and_keeps_stored_data(member_client, member):
    before = member.display_name
    response = member_client.post(
        reverse("members:settings-profile"),
        {
            "profile-display_name": "X",
            "profile-website": "not a url",
            "profile-preferred_language": "en",
        },
    )
    assert response.status_code == 400
    assert "Enter a valid URL" in response.content.decode()
    member.refresh_from_db()
    assert member.display_name == before


def test_switching_the_interface_to_russian(client, member):
    client.force_login(member)
    response = client.post(reverse("members:language"), {"language": "ru", "next": "/members/"})
    assert response.status_code == 302
    page = client.get("/members/")
    assert "Участники" in page.content.decode()
    member.refresh_from_db()
    assert member.preferred_language == "ru"
    client.post(reverse("members:language"), {"language": "en", "next": "/"})
    assert "Members" in client.get("/members/").content.decode()


def test_visitor_can_switch_language_by_cookie(client):
    client.post(reverse("members:language"), {"language": "ru", "next": "/"})
    assert "Вопросы" in client.get("/").content.decode()


def test_language_switch_rejects_unknown_language_and_foreign_redirects(client):
    assert client.post(reverse("members:language"), {"language": "xx"}).status_code == 400
    response = client.post(
        reverse("members:language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_email_preferences_are_saved(member_client, member):
    response = member_client.post(
        reverse("members:settings-preferences"),
        {"prefs-kind_system": "", "prefs-kind_welcome": "on"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email_preferences["system"] is False
    assert member.email_preferences["welcome"] is True
    assert member.digest_opt_in is False


def test_settings_page_takes_no_post_and_each_form_has_its_own_address(member_client):
    page = member_client.get(reverse("members:settings")).content.decode()
    assert f'action="{reverse("members:settings-profile")}"' in page
    assert f'action="{reverse("members:settings-preferences")}"' in page
    assert member_client.post(reverse("members:settings")).status_code == 405
    assert member_client.get(reverse("members:settings-profile")).status_code == 405


def test_settings_forms_need_a_signed_in_member(client):
    for name in ("members:settings-profile", "members:settings-preferences"):
        response = client.post(reverse(name), {"prefs-kind_system": "on"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_unknown_profile_is_404_with_a_page(client):
    response = client.get(reverse("members:profile", args=["nobody-here"]))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_directory_filters_by_expertise_and_sorts(client):
    a = MemberFactory(username="alpha")
    b = MemberFactory(username="beta")
    Expertise.objects.create(member=a, tag_slug="billing")
    page = client.get(reverse("members:directory"), {"expertise": "billing"})
    body = page.content.decode()
    assert "alpha" in body.lower() and b.get_absolute_url() not in body
    page = client.get(reverse("members:directory"), {"sort": "-active"})
    assert page.status_code == 200


def _make_members(n):
    for i in range(n):
        m = MemberFactory()
        Expertise.objects.create(member=m, tag_slug=f"tag{i % 3}")


@pytest.mark.parametrize("count", [5, 50])
def test_directory_query_count_does_not_grow(client, django_assert_num_queries, count):
    _make_members(count)
    # 1 count for the paginator, 1 page of members, 1 prefetch of expertise,
    # 1 community settings (cached after this).
    with django_assert_num_queries(4):
        response = client.get(reverse("members:directory"))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [5, 50])
def test_profile_query_count_does_not_grow(client, django_assert_num_queries, count):
    _make_members(count)
    member = Member.objects.order_by("-id").first()
    for i in range(count):
        Expertise.objects.get_or_create(member=member, tag_slug=f"extra{i}")
    client.get("/")  # warm the settings cache
    # the member with their follower counts, its expertise, its badges (one query, added with
    # the badges: members.selectors_badges.member_badge_list); forum section
    # (forum/selectors/sections.py profile_section): the member's questions, the member's
    # answers with their questions, the members they helped; idea board section
    # (ideas/sections.py): the member's ideas. The moderation section (flag button) runs
    # no query for visitors.
    with django_assert_num_queries(7):
        response = client.get(reverse("members:profile", args=[member.username]))
    assert response.status_code == 200


def test_moderator_flag_follows_group_changes(db):
    from django.contrib.auth.models import Group

    from members.models import MODERATORS_GROUP

    m = MemberFactory()
    assert Member.objects.get(pk=m.pk).is_moderator is False
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    m.groups.add(group)
    assert Member.objects.get(pk=m.pk).is_moderator is True
    group.user_set.remove(m)
    assert Member.objects.get(pk=m.pk).is_moderator is False


def test_clearing_or_deleting_the_moderators_group_revokes_the_cached_flag(db):
    from django.contrib.auth.models import Group

    from members.models import MODERATORS_GROUP

    a, b = MemberFactory(), MemberFactory()
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    group.user_set.add(a, b)
    assert Member.objects.get(pk=a.pk).is_moderator is True
    group.user_set.clear()
    assert Member.objects.get(pk=a.pk).is_moderator is False
    group.user_set.add(b)
    assert Member.objects.get(pk=b.pk).is_moderator is True
    group.delete()
    assert Member.objects.get(pk=b.pk).is_moderator is False


def test_kinds_sharing_a_label_are_one_preference(member_client, member):
    from members.notifications import KINDS, register_kind

    register_kind("test_decision_yes", label="Test decisions", message="yes")
    register_kind("test_decision_no", label="Test decisions", message="no")
    try:
        page = member_client.get(reverse("members:settings")).content.decode()
        assert page.count("Test decisions") == 1
        member_client.post(reverse("members:settings-preferences"), {})
        member.refresh_from_db()
        assert member.email_preferences["test_decision_yes"] is False
        assert member.email_preferences["test_decision_no"] is False
    finally:
        KINDS.pop("test_decision_yes")
        KINDS.pop("test_decision_no")


@pytest.mark.parametrize("secure", [False, True])
def test_the_language_cookie_is_secure_when_the_site_is(client, settings, secure):
    settings.LANGUAGE_COOKIE_SECURE = secure
    response = client.post(reverse("members:language"), {"language": "ru", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "ru"
    assert bool(cookie["secure"]) is secure
    assert cookie["samesite"] == "Lax"
