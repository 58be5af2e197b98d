import pytest

from forum.models import Question
from tests.factories import PASSWORD, MemberFactory
from tests.forum.factories import CategoryFactory, QuestionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, member):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", member.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(live_server.url + "/")


def test_ask_answer_from_another_account_and_accept(live_server, page):
    billing = CategoryFactory(name="Billing", slug="billing")
    QuestionFactory(
        title="Where can I find old invoices?",
        category=billing,
        body="Looking for invoices from last year.",
    )
    asker = MemberFactory(username="asker", display_name="Anna Asker")
    helper = MemberFactory(username="helper", display_name="Hugo Helper")

    _log_in(page, live_server, asker)
    page.goto(live_server.url + "/questions/ask/")
    page.fill("#id_title", "How do I download last month's invoice?")
    # htmx suggests the similar existing question while the title is typed
    page.wait_for_selector("#similar-questions a:has-text('Where can I find old invoices?')")
    page.fill("#id_body", "I cannot find the invoice for October anywhere in the settings.")
    page.select_option("#id_category", "billing")
    page.fill("#id_tags", "invoices")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("h1:has-text('How do I download last month')")
    question_url = page.url
    page.click(".user-menu button:has-text('Log out')")
    page.wait_for_load_state()

    _log_in(page, live_server, helper)
    page.goto(question_url)
    page.fill("#id_answer_body", "Open Settings → Billing → Invoices and press Download.")
    page.click(".answer-form button[type=submit]")
    page.wait_for_selector("text=Open Settings → Billing → Invoices")
    page.click(".user-menu button:has-text('Log out')")
    page.wait_for_load_state()

    _log_in(page, live_server, asker)
    page.goto(question_url)
    page.click("button.accept-button")
    page.wait_for_selector("text=Accepted answer")
    question = Question.objects.get(author=asker)
    assert question.accepted_answer.author == helper
    helper.refresh_from_db()
    assert helper.reputation == 5
