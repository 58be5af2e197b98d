"""Every page's header and footer (templates/jinja2/chrome/, included by base.html): what each
role sees, in each language, and a page's own names cannot break them."""

import pytest
from django.test import Client
from django.urls import reverse

from members.services import notification_send
from tests.factories import MemberFactory, ModeratorFactory, logged_in
from tests.forum.factories import QuestionFactory

pytestmark = pytest.mark.django_db


def _header(response) -> str:
    html = response.content.decode()
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def _footer(response) -> str:
    html = response.content.decode()
    return html[html.index('<footer class="site-footer">') : html.index("</footer>")]


def test_a_visitor_sees_log_in_sign_up_and_the_links_without_any_token(client):
    response = client.get("/questions/")
    header, footer = _header(response), _footer(response)
    assert 'href="/accounts/login/"' in header and "Sign up" in header
    assert header.count(f'href="{reverse("forum:question-list")}"') == 2  # row and menu
    assert 'id="site-search"' in header and 'id="menu-search"' in header
    assert "csrfmiddlewaretoken" not in header + footer
    assert '<option value="en" selected>English</option>' in footer


def test_a_member_sees_their_menu_count_and_tokens_but_no_staff_links():
    member = MemberFactory(display_name="Olga Petrova")
    notification_send(recipients=[member], kind="system", params={"title": "x"}, url="/")
    response = logged_in(member).get("/questions/?q=x")
    header, footer = _header(response), _footer(response)
    assert "Account menu of Olga Petrova" in header
    assert 'aria-label="1 unread notification"' in header
    assert "Mark all as read" in header and 'name="next" value="/questions/?q=x"' in header
    assert header.count("csrfmiddlewaretoken") == 2  # mark all read, log out
    assert footer.count("csrfmiddlewaretoken") == 1  # the language switch
    assert reverse("moderation:inbox") not in header
    assert reverse("analytics:dashboard") not in header


def test_moderators_see_moderation_and_staff_see_analytics():
    moderator_header = _header(logged_in(ModeratorFactory()).get("/"))
    assert reverse("moderation:inbox") in moderator_header
    assert reverse("analytics:dashboard") not in moderator_header
    staff_header = _header(logged_in(MemberFactory(is_staff=True)).get("/"))
    assert reverse("analytics:dashboard") in staff_header
    assert reverse("webhooks:endpoint-list") in staff_header


def test_the_header_and_footer_speak_the_readers_language():
    member = MemberFactory(display_name="Olga Petrova")
    client = Client(headers={"accept-language": "ru"})
    response = client.get("/questions/")
    assert "Войти" in _header(response) or "Вход" in _header(response)
    assert '<option value="ru" selected>Русский</option>' in _footer(response)
    client.force_login(member)
    header = _header(client.get("/questions/"))
    assert "Olga Petrova" in header and "Account menu of" not in header


def test_a_name_of_the_page_cannot_hide_the_templates_functions():
    """The bookmark page's own ``url`` (a string) once reached the header and broke it."""
    from tests.members.test_bookmarks import _keep

    member, question = MemberFactory(), QuestionFactory()
    bookmark = _keep(member, question)
    client = logged_in(member)
    for path in (
        "/",
        question.get_absolute_url(),
        reverse("members:bookmark-edit", args=[bookmark.pk]),
    ):
        response = client.get(path)
        assert response.status_code == 200 and "Account menu of" in _header(response), path
