"""Drafts in the browser (issue 18, point 4): an answer being typed is saved as one types and
restored on return; once the member is silenced, the refused answer keeps its text, in the
form and as a draft listed under Drafts in the account menu."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser import log_in
from tests.factories import MemberFactory
from tests.forum.factories import QuestionFactory
from uploads.models import Draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST = "Open Settings, then Exports, and raise the row limit."
MORE = " If the option is missing, your plan caps exports at 10,000 rows."


def test_a_silenced_members_refused_answer_keeps_its_text_as_a_draft(live_server, page):
    question = QuestionFactory(title="Why do exports stop at 10,000 rows?")
    member = MemberFactory(username="helper", display_name="Hanna Helper")
    log_in(page, live_server, member)
    page.goto(live_server.url + question.get_absolute_url())

    # Typing is saved a moment after the member stops.
    box = page.get_by_role("textbox", name="Your answer")
    box.fill(FIRST)
    expect(page.get_by_text("Draft saved at")).to_be_visible()
    assert Draft.objects.get(member=member).body == FIRST

    # Coming back later, the answer box holds it again.
    page.goto(live_server.url + "/")
    page.goto(live_server.url + question.get_absolute_url())
    expect(page.get_by_text("Restored your draft from")).to_be_visible()
    expect(box).to_have_value(FIRST)

    # A moderator silences them while they finish the answer; posting it is refused.
    member.silenced_until = timezone.now() + timedelta(days=2)
    member.save(update_fields=["silenced_until"])
    box.press("End")
    box.press_sequentially(MORE, delay=5)
    page.get_by_role("button", name="Post your answer").click()
    expect(page.get_by_text("You are silenced and cannot post until")).to_be_visible()
    expect(page.get_by_role("textbox", name="Your answer")).to_have_value(FIRST + MORE)
    expect(page.get_by_text("Your text is kept as a draft")).to_be_visible()

    # The account menu counts the draft and its page shows the whole text.
    page.get_by_label(f"Account menu of {member.name}").click()
    drafts = page.get_by_role("banner").get_by_role("link", name="Drafts")
    expect(drafts).to_contain_text("1")
    drafts.click()
    expect(page.get_by_role("heading", name="Drafts", level=1)).to_be_visible()
    expect(page.get_by_text("Answer: Why do exports stop at 10,000 rows?")).to_be_visible()
    expect(page.get_by_text(FIRST + MORE)).to_be_visible()
    assert Draft.objects.get(member=member).body == FIRST + MORE
