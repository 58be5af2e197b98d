"""One walk through every place that shows a post's title or text (issue 15).

A private post (an ambassador-only category), a held, a hidden and a deleted one, of every
kind that has a title or text (questions, answers, ideas), are posted through the services,
so that their notifications, e-mails, search vectors and counters are made as in real life.
Then a visitor and an ordinary member walk every page that lists, links or quotes posts, and
no secret text may appear anywhere: not in pages, feeds, the sitemap, notifications or the
e-mails the outbox sent.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.test import Client
from django.urls import reverse

from forum.services.answers import answer_create
from forum.services.follows import question_follow
from forum.services.posts import post_delete
from forum.services.questions import question_close_duplicate, question_create
from forum.services.sweeps import unanswered_digest_send
from ideas.services import idea_create
from members.models import Expertise
from moderation.services import content_hide
from tests.factories import MemberFactory, ModeratorFactory
from tests.forum.factories import CategoryFactory
from tests.moderation.factories import current_rule

pytestmark = pytest.mark.django_db

# Each secret carries one token no page may ever show (search highlighting may cut a title
# apart, a token survives it).
SECRETS = {
    "private-question": "tokprivq",
    "held-question": "tokheldq",
    "hidden-question": "tokhidq",
    "deleted-question": "tokdelq",
    "private-answer": "tokprivans",
    "held-answer": "tokheldans",
    "hidden-answer": "tokhidans",
    "deleted-answer": "tokdelans",
    "private-idea": "tokprividea",
    "held-idea": "tokheldidea",
    "hidden-idea": "tokhididea",
}
PUBLIC_TITLE = "Zorblax widgets everyone can read"


@pytest.fixture
def world(settings, no_page_cache, django_capture_on_commit_callbacks):
    settings.VECHE_TRUST_NEW_HELD_POSTS = 3
    viewer = MemberFactory(username="viewer", display_name="Vera Viewer")
    author = MemberFactory(username="author", display_name="Arno Author", badge="ambassador")
    newcomer = MemberFactory(username="newcomer", display_name="Nina New", trust_level=0)
    moderator = ModeratorFactory()
    public = CategoryFactory(name="Widgets", slug="widgets")
    lounge = CategoryFactory(name="Lounge", slug="lounge", ambassadors_only=True)
    rule = current_rule()

    def body(token: str) -> str:
        return f"Zorblax {token} details, @viewer please look."

    with django_capture_on_commit_callbacks(execute=True):
        question = question_create(
            author=author,
            category=public,
            title=PUBLIC_TITLE,
            body="Zorblax public body.",
            tags=["zorblax"],
        )
        question_follow(member=viewer, question=question)
        secret_questions = {}
        for kind, who, category in [
            ("private", author, lounge),
            ("held", newcomer, public),
            ("hidden", author, public),
            ("deleted", author, public),
        ]:
            token = SECRETS[f"{kind}-question"]
            secret_questions[kind] = question_create(
                author=who,
                category=category,
                title=f"Zorblax {token} question",
                body=body(token),
                tags=["zorblax"],
            )
        answer_create(author=author, question=secret_questions["private"], body=body("tokprivans"))
        answers = {
            kind: answer_create(author=who, question=question, body=body(SECRETS[f"{kind}-answer"]))
            for kind, who in [("held", newcomer), ("hidden", author), ("deleted", author)]
        }
        ideas = {
            kind: idea_create(
                actor=who,
                title=f"Zorblax {SECRETS[f'{kind}-idea']} idea",
                description=body(SECRETS[f"{kind}-idea"]),
                category=category,
            )
            for kind, who, category in [
                ("private", author, lounge),
                ("held", newcomer, public),
                ("hidden", author, public),
            ]
        }
        # A public question closed as a duplicate of one that later became hidden.
        duplicate = question_create(
            author=author, category=public, title="Zorblax duplicate asked again", body="Again."
        )
        question_close_duplicate(
            actor=moderator, question=duplicate, duplicate_of=secret_questions["hidden"]
        )
        content_hide(actor=moderator, target=secret_questions["hidden"], rule=rule)
        content_hide(actor=moderator, target=answers["hidden"], rule=rule)
        content_hide(actor=moderator, target=ideas["hidden"], rule=rule)
        post_delete(actor=author, post=secret_questions["deleted"])
        post_delete(actor=author, post=answers["deleted"])
    assert secret_questions["held"].moderation_state == "held"
    assert answers["held"].moderation_state == "held"
    assert ideas["held"].moderation_state == "held"
    return {
        "viewer": viewer,
        "author": author,
        "newcomer": newcomer,
        "question": question,
        "duplicate": duplicate,
        "secret_questions": secret_questions,
        "answers": answers,
        "ideas": ideas,
        "public": public,
    }


def _urls(world) -> list[str]:
    question = world["question"]
    secrets = list(world["secret_questions"].values())
    urls = [
        "/",
        reverse("forum:question-list"),
        reverse("forum:question-list") + "?sort=newest",
        reverse("forum:question-list") + "?sort=active",
        reverse("forum:question-list") + "?sort=unanswered",
        reverse("forum:tag", args=["zorblax"]),
        reverse("forum:category", args=["widgets"]),
        reverse("forum:faq"),
        reverse("forum:feed-rss"),
        reverse("forum:feed-atom"),
        reverse("forum:feed-tag", args=["zorblax"]),
        reverse("forum:feed-category", args=["widgets"]),
        reverse("forum:sitemap"),
        reverse("forum:question-similar") + "?title=Zorblax+question+details",
        reverse("search:search") + "?q=zorblax",
        reverse("search:search") + "?q=zorblax&type=answer",
        reverse("search:search") + "?q=zorblax&type=idea",
        question.get_absolute_url(),
        world["duplicate"].get_absolute_url(),
        reverse("members:directory"),
        reverse("members:profile", args=["author"]),
        reverse("members:profile", args=["newcomer"]),
        reverse("members:profile", args=["viewer"]),
        reverse("ideas:idea-list"),
        reverse("ideas:idea-list") + "?sort=new",
        reverse("ideas:idea-roadmap"),
        reverse("ideas:idea-changelog"),
        reverse("ideas:idea-changelog-rss"),
        reverse("ideas:idea-changelog-atom"),
        reverse("ideas:idea-similar") + "?title=Zorblax+idea",
        reverse("ambassadors:leaderboard"),
    ]
    for secret in secrets:
        urls += [
            secret.get_absolute_url(),
            reverse("forum:question-short", args=[secret.pk]),
            reverse("forum:revisions", args=["question", secret.pk]),
        ]
    for answer in world["answers"].values():
        urls.append(reverse("forum:revisions", args=["answer", answer.pk]))
    for target in [*secrets, *world["answers"].values(), *world["ideas"].values()]:
        urls.append(
            reverse(
                "moderation:flag",
                args=[ContentType.objects.get_for_model(target).pk, target.pk],
            )
        )
    for idea in world["ideas"].values():
        urls += [idea.get_absolute_url(), reverse("ideas:idea-detail-short", args=[idea.pk])]
    return urls


def _leaks(client: Client, urls: list[str]) -> list[str]:
    found = []
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code < 500, url
        text = b"".join(response.streaming_content if response.streaming else [response.content])
        # A page may repeat its own address (the language form's "next"): that is what the
        # reader typed, not something the page told them.
        page = text.decode().replace(response.request["PATH_INFO"], "")
        found += [f"{url}: {name}" for name, token in SECRETS.items() if token in page]
    return found


def test_a_visitor_sees_no_private_held_hidden_or_deleted_post_anywhere(client, world):
    urls = _urls(world)
    assert PUBLIC_TITLE in client.get(reverse("forum:question-list")).content.decode()
    assert _leaks(client, urls) == []


def test_an_ordinary_member_sees_none_of_them_either(world):
    viewer = Client()
    viewer.force_login(world["viewer"])
    urls = [*_urls(world), reverse("members:notifications"), reverse("members:notification-menu")]
    assert PUBLIC_TITLE in viewer.get(reverse("forum:question-list")).content.decode()
    assert _leaks(viewer, urls) == []


def test_no_email_to_an_ordinary_member_quotes_a_private_or_held_post(
    world, django_capture_on_commit_callbacks
):
    """Hidden and deleted posts were public when their e-mails went out; a private or held
    post never was. The weekly digest of unanswered questions comes after the hiding and the
    deleting, so it names none of them."""
    to_viewer = [m for m in mail.outbox if world["viewer"].email in m.to]
    assert to_viewer
    leaks = [
        f"{m.subject}: {name}"
        for m in to_viewer
        for name, token in SECRETS.items()
        if token in m.subject + m.body and name.startswith(("private", "held"))
    ]
    assert leaks == []

    Expertise.objects.create(member=world["viewer"], tag_slug="zorblax")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        question_create(
            author=world["author"],
            category=world["public"],
            title="Zorblax unanswered for the digest",
            body="Anyone?",
            tags=["zorblax"],
        )
        assert unanswered_digest_send() == 1
    digest = mail.outbox[-1]
    assert "Zorblax unanswered for the digest" in digest.body
    assert [name for name, token in SECRETS.items() if token in digest.body] == []
