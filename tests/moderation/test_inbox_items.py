"""The markup of the inbox's items (built by ``moderation_tags.queue_item``): every value
escaped, forms that work without JavaScript, and what depends on who is looking."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from members.models import MODERATORS_GROUP
from moderation import services
from moderation.models import AuditLogEntry, QueueItem
from tests.factories import MemberFactory
from tests.moderation.factories import CommentFactory, new_member
from tests.moderation.test_inbox import flagged, held

pytestmark = pytest.mark.django_db


def item_html(html: str, item) -> str:
    match = re.search(rf'<li class="card queue-item[^"]*" id="item-{item.pk}">.*?</li>', html, re.S)
    assert match, f"item {item.pk} is not on the page"
    return match.group(0)


def test_titles_reasons_and_names_are_escaped(moderator_client):
    author = new_member(display_name="<i>Eve</i>")
    comment = CommentFactory(
        author=author, body="<script>alert(1)</script> hello", moderation_state="held"
    )
    item = services.content_held(target=comment, author=author, reasons=["first posts"])
    QueueItem.objects.filter(pk=item.pk).update(reason="<b>link</b> to a shop\nsecond line")
    row = item_html(moderator_client.get("/moderation/").content.decode(), item)
    assert "<script>" not in row and "&lt;script&gt;alert(1)&lt;/script&gt; hello" in row
    assert "<i>Eve</i>" not in row and "&lt;i&gt;Eve&lt;/i&gt;" in row
    assert '<p class="queue-reason">&lt;b&gt;link&lt;/b&gt; to a shop<br>second line</p>' in row


def test_each_item_posts_its_decisions_without_javascript_and_with_htmx(moderator_client, rule):
    _, item = held()
    html = moderator_client.get("/moderation/?queue=approval").content.decode()
    row = item_html(html, item)
    claim = reverse("moderation:item-claim", args=[item.pk])
    approve = reverse("moderation:item-approve", args=[item.pk])
    reject = reverse("moderation:item-reject", args=[item.pk])
    assert f'<form method="post" action="{claim}" class="inline">' in row
    assert (
        f'<form method="post" action="{approve}" class="inline" hx-post="{approve}" '
        f'hx-target="#item-{item.pk}" hx-swap="outerHTML">'
    ) in row
    assert f'action="{reject}" class="inline reject-form" hx-post="{reject}"' in row
    # each form carries the CSRF token and comes back to the same page
    assert row.count('name="csrfmiddlewaretoken"') == 3
    assert row.count('<input type="hidden" name="next" value="/moderation/?queue=approval">') == 3
    assert f'<select id="reject-rule-{item.pk}" name="rule"><option value="">Rule…</option>' in row
    assert f'<option value="{rule.pk}">{rule.number}. {rule.title}</option>' in row
    assert f'<label for="reject-message-{item.pk}" class="visually-hidden">' in row
    assert f'id="select-{item.pk}" aria-label="Select"' in row and 'form="bulk-form"' in row
    assert ">Approve</button>" in row and ">Reject</button>" in row


def test_the_buttons_say_what_they_do_in_each_queue(moderator_client, moderator, rule):
    _, flag_item = flagged(rule)
    comment, held_item = held()
    services.queue_item_reject(actor=moderator, item=held_item, rule=rule)
    decision = AuditLogEntry.objects.get(action="reject")
    appeal = services.appeal_create(
        member=comment.author, decision=decision, text="It was <on topic>."
    )
    html = moderator_client.get("/moderation/").content.decode()
    flag_row = item_html(html, flag_item)
    assert ">Keep (dismiss flags)</button>" in flag_row
    assert ">Remove (uphold flags)</button>" in flag_row
    appeal_row = item_html(html, QueueItem.objects.get(queue="appeals", target_id=appeal.pk))
    assert ">Grant appeal</button>" in appeal_row and ">Deny appeal</button>" in appeal_row
    assert "It was &lt;on topic&gt;." in appeal_row
    assert (
        f"Appeal against “Reject” on {decision.target_repr} ({rule.citation})"
        in appeal_row.replace("&quot;", '"')
    )


def test_the_author_links_to_their_profile_and_moderation_history(moderator_client):
    author = new_member(username="ann.o+b")
    _, item = held(author=author)
    row = item_html(moderator_client.get("/moderation/").content.decode(), item)
    assert f'<a class="member" href="{author.get_absolute_url()}">{author.name}</a>' in row
    assert f"({author.get_trust_level_display()})" in row
    history = reverse("moderation:member", args=[author.username])
    assert f'<a href="{history}">history and sanctions</a>' in row
    assert "new member" in row and "waiting 0 min" in row


def test_only_the_claimer_no_longer_sees_the_claim_button(client, moderator):
    _, item = held()
    services.queue_item_claim(actor=moderator, item=item)
    claim = reverse("moderation:item-claim", args=[item.pk])
    client.force_login(moderator)
    mine = item_html(client.get("/moderation/").content.decode(), item)
    assert claim not in mine and f"claimed by {moderator.name}" in mine
    other = MemberFactory()
    other.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    client.force_login(other)
    theirs = item_html(client.get("/moderation/").content.decode(), item)
    assert claim in theirs and f"claimed by {moderator.name}" in theirs


def test_an_item_whose_target_is_gone_still_shows(moderator_client):
    comment, item = held()
    type(comment)._base_manager.filter(pk=comment.pk).delete()
    row = item_html(moderator_client.get("/moderation/").content.decode(), item)
    assert "<span>(deleted)</span>" in row and "<strong>comment</strong>" in row


def test_items_are_shown_in_the_moderators_language(moderator_client, moderator):
    moderator.preferred_language = "ru"
    moderator.save(update_fields=["preferred_language"])
    _, item = held()
    row = item_html(moderator_client.get("/moderation/").content.decode(), item)
    assert "Выбрать" in row and "ожидает" in row and "Правило…" in row
