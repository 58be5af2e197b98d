"""``@username`` in a post becomes a link to the member's profile, at save time (config.markdown
with the members resolver): members only, not in code, links or e-mail addresses, safe."""

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from config.markdown import mentioned_names, render_markdown
from forum.models import Question
from tests.factories import MemberFactory
from tests.forum.factories import CategoryFactory

pytestmark = pytest.mark.django_db

ANNA = '<a href="/members/anna/" class="mention" rel="nofollow ugc noopener">@anna</a>'


@pytest.fixture
def anna(db):
    return MemberFactory(username="anna")


def test_a_members_name_links_to_the_profile_and_an_unknown_name_stays_text(anna):
    html = render_markdown("Thanks @anna and @nobody_here.")
    assert f"<p>Thanks {ANNA} and @nobody_here.</p>" in html


def test_names_match_whatever_the_case_and_keep_what_was_typed(anna):
    html = render_markdown("cc @Anna.")
    assert '<a href="/members/anna/" class="mention" rel="nofollow ugc noopener">@Anna</a>.' in html


def test_no_link_in_code_in_links_or_in_e_mail_addresses(anna):
    html = render_markdown(
        "`@anna` and\n\n    @anna in a block\n\n```\n@anna fenced\n```\n\n"
        "[ask @anna](https://example.com) write to anna@example.com or @anna"
    )
    assert html.count('class="mention"') == 1
    assert "<code>@anna</code>" in html
    assert "anna@example.com" in html and 'href="/members/anna/"' in html


def test_a_deleted_member_is_no_link(anna):
    anna.deleted_at = timezone.now()
    anna.save()
    assert 'class="mention"' not in render_markdown("@anna")


def test_a_name_looks_up_members_in_one_query(anna, django_assert_num_queries):
    MemberFactory(username="bob")
    with django_assert_num_queries(1):
        html = render_markdown("@anna @bob @carol @anna " * 5)
    assert html.count('href="/members/bob/"') == 5
    with django_assert_num_queries(0):
        render_markdown("no names, just anna@example.com and `@anna`")


def test_markup_around_a_mention_stays_escaped(anna):
    html = render_markdown('<img src=x onerror=alert(1)>@anna"><script>alert(1)</script>')
    assert (
        "<script>" not in html and "<img" not in html and "onerror=alert" not in html.split(">")[0]
    )
    assert ANNA in html


def test_a_user_cannot_forge_the_mention_class():
    html = render_markdown('<a class="mention" href="/x">x</a> [y](https://e.com "t")')
    assert "&lt;a class" in html and '<a class="mention"' not in html
    assert 'class="mention" rel' not in html


def test_mentioned_names_skip_code_and_repeat_once():
    assert mentioned_names("@Anna @anna `@bob` @carol.") == ["Anna", "carol"]
    assert mentioned_names("") == [] and mentioned_names("mail@example.com") == []


def test_a_posted_question_stores_the_link_and_shows_it(member_client, anna):
    CategoryFactory(slug="billing")
    member_client.post(
        reverse("forum:question-ask"),
        {
            "title": "How do refunds work for annual plans?",
            "body": "Hello @anna, could you explain refunds for annual plans?",
            "category": "billing",
        },
    )
    question = Question.objects.get()
    assert ANNA in question.body_html
    assert ANNA in member_client.get(question.get_absolute_url()).content.decode()


@hypothesis_settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.text(
        alphabet=st.characters(codec="utf-8") | st.sampled_from("@`*_[]()<>\n#-.anna"), max_size=200
    )
)
def test_any_text_renders_without_crashing(anna, text):
    html = render_markdown(text)
    assert "<script" not in html
    for name in mentioned_names(text):
        assert "@" not in name and name
