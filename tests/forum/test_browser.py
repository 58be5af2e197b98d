import pytest
from playwright.sync_api import expect

from forum.models import Question
from tests.browser import log_in, log_out
from tests.factories import MemberFactory
from tests.forum.factories import CategoryFactory, QuestionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ask_answer_from_another_account_and_accept(live_server, page):
    billing = CategoryFactory(name="Billing", slug="billing")
    QuestionFactory(
        title="Where can I find old invoices?",
        category=billing,
        body="Looking for invoices from last year.",
    )
    asker = MemberFactory(username="asker", display_name="Anna Asker")
    helper = MemberFactory(username="helper", display_name="Hugo Helper")

    log_in(page, live_server, asker)
    page.goto(live_server.url + "/questions/ask/")
    page.get_by_label("Title").fill("How do I download last month's invoice?")
    # htmx suggests the similar existing question while the title is typed
    expect(page.get_by_role("link", name="Where can I find old invoices?")).to_be_visible()
    page.get_by_label("Details").fill(
        "I cannot find the invoice for October anywhere in the settings."
    )
    page.get_by_label("Category").select_option("billing")
    page.get_by_label("Tags").fill("invoices")
    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "How do I download last month's invoice?"
    )
    question_url = page.url
    log_out(page)

    log_in(page, live_server, helper)
    page.goto(question_url)
    page.get_by_label("Your answer").fill("Open Settings → Billing → Invoices and press Download.")
    page.get_by_role("button", name="Post your answer").click()
    expect(page.get_by_text("Open Settings → Billing → Invoices")).to_be_visible()
    log_out(page)

    log_in(page, live_server, asker)
    page.goto(question_url)
    page.get_by_role("button", name="Accept this answer").click()
    expect(page.get_by_text("Accepted answer")).to_be_visible()
    question = Question.objects.get(author=asker)
    assert question.accepted_answer.author == helper
    helper.refresh_from_db()
    assert helper.reputation == 5
