"""The e-mail preferences (issue 21, defect 8): grouped by area with legends, quiet defaults for
new members that leave existing members' choices alone, and one button that turns all off."""

import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse

from members.models import Member
from members.notifications import KINDS
from tests.factories import MemberFactory
from tests.html import visible_text

pytestmark = pytest.mark.django_db

LEGENDS = [
    "Your questions and answers",
    "Ideas",
    "Your posts and your account",
    "Invitations and the ambassador program",
    "From the community",
]


def _fieldsets(html: str) -> dict[str, str]:
    return {
        visible_text(legend): body
        for legend, body in re.findall(
            r"<fieldset[^>]*>\s*<legend>(.*?)</legend>(.*?)</fieldset>", html, re.S
        )
    }


def _checked(html: str) -> dict[str, bool]:
    return {
        name: "checked" in tag
        for tag, name in re.findall(r'(<input type="checkbox" name="prefs-([\w]+)"[^>]*>)', html)
    }


def test_the_checkboxes_come_in_groups_with_legends(member_client):
    html = member_client.get(reverse("members:settings")).content.decode()
    groups = _fieldsets(html)
    assert list(groups) == LEGENDS
    assert "New answers to questions you follow" in groups["Your questions and answers"]
    assert "Mentions of you" in groups["Your questions and answers"]
    assert "Comments on ideas I follow" in groups["Ideas"]
    assert "Moderator warnings" in groups["Your posts and your account"]
    assert "Decisions on your ambassador application" in groups[LEGENDS[3]]
    assert "Weekly digest" in groups["From the community"]
    every_box = sum(body.count('type="checkbox"') for body in groups.values())
    assert every_box == len(_checked(html)) == len({str(k.label) for k in KINDS.values()}) + 1


def test_a_new_member_gets_email_about_themselves_and_not_about_what_they_watch(client):
    client.force_login(MemberFactory())
    checked = _checked(client.get(reverse("members:settings")).content.decode())
    for on in ("kind_answer_new", "kind_mention", "kind_answer_accepted", "kind_idea_merged"):
        assert checked[on], on
    assert checked["kind_moderation_warned"] and checked["kind_ambassador_approved"]
    assert checked["kind_idea_status_changed"] and checked["kind_referral_qualified"]
    for off in ("kind_comment_new", "kind_idea_comment"):
        assert not checked[off], off


def test_members_who_joined_before_keep_their_choices():
    untouched = MemberFactory(email_preferences={})
    chose = MemberFactory(email_preferences={"comment_new": False, "mention": False})
    migration = importlib.import_module(
        "members.migrations.0007_keep_email_choices_of_existing_members"
    )
    migration.keep_choices(apps, None)
    untouched.refresh_from_db()
    chose.refresh_from_db()
    assert untouched.email_preferences == {"comment_new": True, "idea_comment": True}
    assert chose.email_preferences["comment_new"] is False
    assert chose.email_preferences["mention"] is False
    assert chose.email_preferences["idea_comment"] is True


def test_one_button_turns_all_email_off_without_javascript(member_client, member):
    response = member_client.post(
        reverse("members:settings-preferences"),
        {"prefs-kind_mention": "on", "prefs-digest_opt_in": "on", "all_off": "1"},
        follow=True,
    )
    assert "All e-mail notifications are off." in visible_text(response.content.decode())
    member = Member.objects.get(pk=member.pk)
    assert member.digest_opt_in is False
    assert member.email_preferences and not any(member.email_preferences.values())
    assert set(member.email_preferences) == set(KINDS)
    assert not any(_checked(response.content.decode()).values())


def test_saving_the_grouped_form_stores_each_choice(member_client, member):
    member_client.post(
        reverse("members:settings-preferences"),
        {"prefs-kind_comment_new": "on", "save_preferences": "1"},
    )
    prefs = Member.objects.get(pk=member.pk).email_preferences
    assert prefs["comment_new"] is True and prefs["mention"] is False
