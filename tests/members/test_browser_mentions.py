"""A member types "@" in the answer box, the picker offers the expert first, arrow keys and
Enter pick a member, and the posted answer links to their profile."""

import pytest
from playwright.sync_api import expect

from forum.models import Answer
from members.models import Expertise
from tests.browser import page_for
from tests.config.test_browser_accessibility import violations
from tests.factories import MemberFactory
from tests.forum.factories import QuestionFactory, TagFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_at_and_picking_with_the_keyboard(live_server, browser):
    # The asker is named too: a random display name starting with "H" would be a third option.
    question = QuestionFactory(
        author__display_name="Quinn Asker", tags=[TagFactory(name="billing")]
    )
    MemberFactory(username="writer", display_name="Walt Writer")
    MemberFactory(username="hanna", display_name="Hanna Known", reputation=900)
    expert = MemberFactory(username="hugo", display_name="Hugo Expert", reputation=1)
    Expertise.objects.create(member=expert, tag_slug="billing")

    # Without the page's CSP, so that axe-core can be injected while the picker is open.
    page = page_for(browser, live_server, "writer", bypass_csp=True)
    page.goto(live_server.url + question.get_absolute_url())
    box = page.get_by_label("Your answer")
    box.click()
    box.press_sequentially("Ask @h")
    listbox = page.get_by_role("listbox", name="Members to mention")
    expect(listbox).to_be_visible()
    options = listbox.get_by_role("option")
    expect(options).to_have_count(2)
    expect(options.first).to_contain_text("Hugo Expert")  # the expert in "billing" first
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", f"mention-option-{expert.pk}")
    assert violations(page) == []

    box.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    box.press("ArrowDown")  # wraps round to the first
    box.press("Enter")
    expect(listbox).to_be_hidden()
    expect(box).to_have_value("Ask @hugo ")

    box.press_sequentially("or @ha")
    expect(page.get_by_role("option", name="Hanna Known @hanna")).to_be_visible()
    box.press("Escape")
    expect(page.get_by_role("listbox")).to_be_hidden()
    box.press_sequentially("nna, the billing page is under Settings.")
    page.get_by_role("button", name="Post your answer").click()

    expect(page.get_by_role("link", name="@hugo")).to_have_attribute("href", "/members/hugo/")
    answer = Answer.objects.get()
    assert answer.body == "Ask @hugo or @hanna, the billing page is under Settings."
    assert expert.notifications.filter(kind="mention").count() == 1
