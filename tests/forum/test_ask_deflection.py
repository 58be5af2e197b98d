"""Deflection by the ask form's suggestions (issue 20, point 7): a scripted visit shows
suggestions, opens one and leaves; another shows them and posts. The dashboard shows the
share of asks deflected next to the survey figure."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from analytics.forms import DateRange
from analytics.selectors.content import support_panel
from forum.models import AskVisit, Question
from tests.factories import MemberFactory, logged_in

from .factories import CategoryFactory, QuestionFactory

pytestmark = pytest.mark.django_db

ASK = reverse("forum:question-ask")
SIMILAR = reverse("forum:question-similar")
OPEN = reverse("forum:question-suggestion-open")


@pytest.fixture
def existing(db):
    return QuestionFactory(title="How do I export invoices to CSV?")


def _token(html: str) -> str:
    return re.search(r'name="ask_visit" value="([0-9a-f]{32})"', html).group(1)


def _suggestions(client, token: str, title: str = "export invoices") -> str:
    response = client.get(SIMILAR, {"title": title, "ask_visit": token}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def test_a_visit_that_opens_a_suggestion_and_leaves_is_deflected(existing):
    member = MemberFactory()
    client = logged_in(member)
    token = _token(client.get(ASK).content.decode())
    assert not AskVisit.objects.exists()  # nothing is stored before suggestions show
    html = _suggestions(client, token)
    _suggestions(client, token, "export invoices csv")
    assert existing.title in html
    link = re.search(r'href="(/questions/ask/suggestion/[^"]*)"', html)
    response = client.get(link.group(1).replace("&amp;", "&"))
    assert response.status_code == 302 and response["Location"] == existing.get_absolute_url()
    visit = AskVisit.objects.get()
    assert (visit.member, visit.times_shown, visit.times_opened) == (member, 2, 1)
    assert visit.opened_at is not None and visit.posted_at is None


def test_a_visit_that_shows_suggestions_and_posts_is_not_deflected(existing):
    member = MemberFactory()
    client = logged_in(member)
    token = _token(client.get(ASK).content.decode())
    _suggestions(client, token)
    response = client.post(
        ASK,
        {
            "ask_visit": token,
            "title": "Export invoices to CSV fails with an error",
            "body": "The export button gives an empty file since yesterday.",
            "category": CategoryFactory().slug,
            "tags": "",
        },
    )
    assert response.status_code == 302, response.content.decode()
    visit = AskVisit.objects.get()
    assert visit.posted_at is not None and visit.question == Question.objects.latest("id")


def test_the_support_panel_shows_the_share_of_asks_deflected(existing):
    leaver, poster = MemberFactory(), MemberFactory()
    leave, post = logged_in(leaver), logged_in(poster)
    leave_token = _token(leave.get(ASK).content.decode())
    _suggestions(leave, leave_token)
    leave.get(OPEN, {"ask_visit": leave_token, "next": existing.get_absolute_url()})
    post_token = _token(post.get(ASK).content.decode())
    _suggestions(post, post_token)
    post.post(
        ASK,
        {
            "ask_visit": post_token,
            "title": "Export invoices to CSV fails with an error",
            "body": "The export button gives an empty file since yesterday.",
            "category": CategoryFactory().slug,
        },
    )
    today = timezone.localdate()
    panel = support_panel(DateRange(today - timedelta(days=6), today))
    labels = [f.label for f in panel.figures]
    survey = labels.index("Would have contacted support (deflected)")
    assert labels[survey + 1] == "Asks deflected by suggestions"
    figure = panel.figures[survey + 1]
    assert figure.value == "50.0%" and figure.note.startswith("1 of 2 visits")
    rows = {
        row[0]: row[1] for row in next(t for t in panel.tables if t.key == "ask-suggestions").rows
    }
    assert rows["Opened a suggestion, then left without asking (deflected)"] == 1
    assert rows["Asked without opening a suggestion"] == 1


def test_visitors_and_other_members_tokens_record_nothing(client, existing):
    response = client.get(SIMILAR, {"title": "export invoices"}, HTTP_HX_REQUEST="true")
    assert existing.title in response.content.decode()
    assert "ask_visit" not in response.content.decode()
    owner, other = logged_in(MemberFactory()), logged_in(MemberFactory())
    token = _token(owner.get(ASK).content.decode())
    _suggestions(owner, token)
    _suggestions(other, token)  # someone else's token: not counted on the owner's visit
    other.get(OPEN, {"ask_visit": token, "next": "/"})
    visit = AskVisit.objects.get()
    assert (visit.times_shown, visit.times_opened) == (1, 0)


def test_the_open_link_never_leaves_the_site(existing):
    client = logged_in(MemberFactory())
    response = client.get(OPEN, {"ask_visit": "nonsense", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == ASK
