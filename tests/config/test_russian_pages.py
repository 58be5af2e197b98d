"""Every main page in Russian, for each role, holds no English UI text (issue 21, defect 6).

The test data is Cyrillic, so any Latin word left on a page is the interface's own: a string
not marked for translation, or one with no Russian in locale/ru. The page's text is read as a
reader meets it (tags, scripts and styles stripped; placeholders, titles, aria-labels, alt
texts and the words on buttons kept; tests/html.py)."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

import members.views  # noqa: F401 - loaded in English, as a server does: text fixed at import shows
from forum.models import Follow
from ideas.models import Idea
from members.models import Member, Notification
from moderation import services as moderation
from moderation.content import ModerationState
from moderation.models import Document, DocumentVersion, Rule
from moderation.services.rules import rules_cache_clear
from moderation.services.screening import FIRST_POSTS
from tests.factories import MemberFactory, ModeratorFactory
from tests.forum import factories as forum
from tests.html import visible_text
from tests.ideas.factories import IdeaCategoryFactory, IdeaFactory
from tests.moderation.factories import current_rule

pytestmark = pytest.mark.django_db

# Names that stay as they are in Russian text: the product, formats and standards, the
# language switcher's "English" (each language is named in itself).
ALLOWED = {
    "Veche",
    "English",
    "Markdown",
    "RSS",
    "Atom",
    "CSV",
    "FAQ",
    "TOTP",
    "URL",
    "API",
    "HTML",
    "ID",
    "IP",
    # allauth's list of signed-in browsers writes "IP-адрес", as Russian does.
    "IP-",
    "JSON",
    "ZIP",
    # File formats named on the upload page (uploads/).
    "JPEG",
    "PNG",
    "GIF",
    "WebP",
    "PDF",
    "OK",
    "JSON",
    # Chat products the webhooks post to (their names are not translated).
    "Slack",
    "Mattermost",
    "DAU",
    "WAU",
    "MAU",
    # Russian writes "e-mail" so, allauth's translation too.
    "e-mail",
    "E-mail",
    # Tag slugs (Latin by construction) in the example of the expertise field.
    "billing",
    "api",
    "mobile-app",
}
# Addresses, paths, commands and identifiers (manage.py rebuild_rollups) are not words; the
# members' user names are taken out of the text before it is read.
_NOT_WORDS = re.compile(r"(https?://\S+|\S+@\S+|/[\w/.-]+|\b\w+\.py\b|\b[a-z]+_[a-z_]+\b)")
_LATIN = re.compile(r"(?<![\w-])[A-Za-z][A-Za-z’'-]*")


def _english_words(html: str, usernames: set[str]) -> list[str]:
    """Each English word left on the page, with the text around it."""
    text = visible_text(html)
    for name in sorted(usernames, key=len, reverse=True):
        text = text.replace(name, " ")
    text = _NOT_WORDS.sub(" ", text)
    found = []
    for match in _LATIN.finditer(text):
        if match.group() not in ALLOWED:
            found.append(
                f"{match.group()}: …{text[max(0, match.start() - 30) : match.end() + 30]}…"
            )
    return sorted(set(found))


def _russian(client: Client) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ru"
    client.cookies["django_language"] = "ru"
    return client


def _member(**kwargs) -> Member:
    return MemberFactory(display_name="Иван Петров", preferred_language="ru", **kwargs)


@pytest.fixture
def world(settings):
    """A small community written in Russian."""
    settings.LANGUAGE_CODE = "ru"
    cache.clear()
    rule = current_rule(1)
    Rule.objects.update(title="Будьте вежливы", explanation="Без грубостей.", explanation_html="")
    DocumentVersion.objects.filter(pk=rule.version_id).update(
        body="Правила сообщества.",
        body_html="<p>Правила сообщества.</p>",
        change_summary="Первая версия",
    )
    rule.version.document.__class__.objects.filter(pk=rule.version.document_id).update(
        title="Правила"
    )
    # The other pages (the ambassador program's terms…) are written in Russian too.
    DocumentVersion.objects.exclude(pk=rule.version_id).update(
        body="Условия программы.", body_html="<p>Условия программы.</p>", change_summary="Первая"
    )
    Document.objects.exclude(pk=rule.version.document_id).update(title="Условия")
    rules_cache_clear()
    rule.refresh_from_db()
    author = _member(username="ru_author")
    other = _member(username="ru_other")
    category = forum.CategoryFactory(name="Оплата", slug="oplata", description="Счета и оплата")
    tag = forum.TagFactory(name="счета", slug="scheta")
    question = forum.QuestionFactory(
        author=author,
        category=category,
        title="Как скачать счёт?",
        slug="kak-skachat-schet",
        body="Где найти **счёт** за прошлый месяц?",
        tags=[tag],
    )
    answer = forum.AnswerFactory(
        question=question, author=other, body="В настройках, раздел «Оплата»."
    )
    forum.CommentFactory(target=question, author=other, body="Спасибо за вопрос.")
    forum.QuestionFactory(
        author=other,
        category=category,
        title="Решённый вопрос об оплате",
        slug="reshennyi-vopros",
        body="Текст вопроса.",
    )
    faq = forum.FaqEntryFactory(
        category=category,
        title="Как сменить пароль?",
        slug="kak-smenit-parol",
        body="Откройте настройки.",
    )
    idea_category = IdeaCategoryFactory(name="Интерфейс", slug="interfeis")
    ideas = [
        IdeaFactory(
            author=by,
            category=idea_category,
            title=title,
            slug=slug,
            description=text,
            status=status,
        )
        for by, title, slug, text, status in [
            (author, "Тёмная тема", "temnaya-tema", "Хочу тёмную тему.", Idea.Status.PLANNED),
            (other, "Ночной режим", "nochnoi-rezhim", "То же самое.", Idea.Status.NEW),
            (other, "Новая идея", "novaya-ideya", "Описание идеи.", Idea.Status.NEW),
            (other, "Экспорт в таблицу", "eksport", "Готово.", Idea.Status.SHIPPED),
        ]
    ]
    idea, merged, _, shipped = ideas
    Idea.objects.filter(pk=merged.pk).update(merged_into=idea, merge_note="Дубликат")
    moderator = ModeratorFactory(
        username="ru_moderator", display_name="Мария Модератор", preferred_language="ru"
    )
    staff = _member(username="ru_staff", is_staff=True, is_superuser=True)
    newbie = _member(username="ru_newbie", trust_level=Member.TrustLevel.NEW)
    held = forum.CommentFactory(
        target=question,
        author=newbie,
        body="Первый пост новичка.",
        moderation_state=ModerationState.HELD,
    )
    moderation.content_held(target=held, author=newbie, reasons=[FIRST_POSTS])
    flagger = _member(username="ru_flagger")
    moderation.flag_create(flagger=flagger, target=answer, rule=rule, note="Грубо")
    moderation.member_warn(actor=moderator, member=newbie, rule=rule, reason="Предупреждение")
    moderation.audit_log_write(
        actor=staff, action="forum.idea_merge", target=merged, reason="Дубль"
    )
    Follow.objects.create(member=author, target=question)
    ct = ContentType.objects.get_for_model(question)
    for kind, params in [
        ("answer_new", {"actor": other.name, "title": question.title}),
        ("idea_status_changed", {"title": idea.title, "status": "planned"}),
        ("idea_status_changed", {"title": idea.title, "status": "Under review"}),
        ("idea_shipped", {"title": shipped.title}),
        ("moderation_warned", {"rule": "1", "message": "Будьте вежливее"}),
    ]:
        Notification.objects.create(
            recipient=author,
            kind=kind,
            params=params,
            url=question.get_absolute_url(),
            target_type=ct,
            target_id=question.pk,
            actor=other,
        )
    return {
        "author": author,
        "other": other,
        "moderator": moderator,
        "staff": staff,
        "question": question,
        "idea": idea,
        "category": category,
        "faq": faq,
        "answer": answer,
        "tag": tag,
        "newbie": newbie,
        "merged": merged,
    }


def _visitor_pages(w: dict) -> list[str]:
    return [
        "/",
        reverse("forum:question-list"),
        reverse("forum:question-list") + "?sort=votes",
        w["question"].get_absolute_url(),
        reverse("forum:tag", args=[w["tag"].slug]),
        reverse("forum:category", args=[w["category"].slug]),
        reverse("forum:faq"),
        reverse("forum:faq-detail", args=[w["faq"].pk, w["faq"].slug]),
        reverse("ideas:idea-list"),
        reverse("ideas:idea-roadmap"),
        reverse("ideas:idea-changelog"),
        w["idea"].get_absolute_url(),
        reverse("members:directory"),
        reverse("members:profile", args=[w["author"].username]),
        reverse("moderation:rules"),
        reverse("moderation:rules-versions"),
        reverse("search:search") + "?q=счёт",
        reverse("ambassadors:leaderboard"),
        reverse("ambassadors:program"),
    ]


def _member_pages(w: dict) -> list[str]:
    return _visitor_pages(w) + [
        reverse("forum:question-ask"),
        reverse("ideas:idea-new"),
        reverse("members:settings"),
        reverse("members:notifications"),
        reverse("account_email"),
        reverse("account_change_password"),
        reverse("mfa_index"),
    ]


def _moderator_pages(w: dict) -> list[str]:
    return [
        reverse("moderation:inbox"),
        reverse("moderation:inbox") + "?queue=flagged",
        reverse("moderation:log"),
        reverse("moderation:member", args=[w["newbie"].username]),
        w["question"].get_absolute_url(),
    ]


def _staff_pages(w: dict) -> list[str]:
    return _moderator_pages(w) + [
        reverse("analytics:dashboard"),
        reverse("ideas:idea-review"),
        reverse("ideas:idea-merge", args=[w["idea"].pk]),
        reverse("ambassadors:staff-review"),
        reverse("moderation:blocked-words"),
        reverse("moderation:rules-publish"),
        reverse("forum:faq-create"),
        w["idea"].get_absolute_url(),
    ]


def _visitor_and_account_pages(w: dict) -> list[str]:
    return _visitor_pages(w) + [
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_reset_password"),
    ]


@pytest.mark.parametrize(
    "role,pages",
    [
        ("visitor", _visitor_and_account_pages),
        ("author", _member_pages),
        ("moderator", _moderator_pages),
        ("staff", _staff_pages),
    ],
)
def test_every_main_page_is_in_russian_for_each_role(client, world, role, pages):
    if role != "visitor":
        client.force_login(world[role])
    client = _russian(client)
    usernames = set(Member.objects.values_list("username", flat=True))
    found = {}
    for url in pages(world):
        response = client.get(url, follow=True)
        assert response.status_code == 200, (url, response.status_code)
        words = _english_words(response.content.decode(), usernames)
        if words:
            found[url] = words
    assert not found, "\n".join(f"{url} {word}" for url, words in found.items() for word in words)


def test_the_language_switcher_names_each_language_in_itself(client, world):
    for language in ("ru", "en"):
        client.cookies["django_language"] = language
        html = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        options = re.findall(r'<option value="(en|ru)"[^>]*>([^<]+)</option>', html)
        assert options == [("en", "English"), ("ru", "Русский")], language


def test_a_solved_question_is_solved_in_the_singular(client, world):
    question, answer = world["question"], world["answer"]
    type(question).objects.filter(pk=question.pk).update(accepted_answer=answer)
    cache.clear()
    client = _russian(client)
    page = visible_text(client.get(question.get_absolute_url()).content.decode())
    assert "Как скачать счёт? Решён" in page and "Решённые" not in page
    listing = client.get(reverse("forum:question-list")).content.decode()
    assert re.search(r'<option value="solved"[^>]*>Решённые</option>', listing)
    assert 'Как скачать счёт?</a> <span class="badge badge-solved">Решён</span>' in listing


def test_the_analytics_date_boxes_keep_their_dates_in_russian(client, world):
    client.force_login(world["staff"])
    html = (
        _russian(client)
        .get(
            reverse("analytics:dashboard"),
            {"range": "custom", "start": "2026-11-01", "end": "2026-11-30"},
        )
        .content.decode()
    )
    assert re.search(r'<input type="date" name="start" value="2026-11-01"', html)
    assert re.search(r'<input type="date" name="end" value="2026-11-30"', html)


def test_idea_statuses_in_notifications_are_in_the_readers_language(client, world):
    client.force_login(world["author"])
    page = visible_text(_russian(client).get(reverse("members:notifications")).content.decode())
    # Stored as a code (new rows) or as the English label (older rows): both read in Russian.
    assert "«Тёмная тема»: новый статус — Запланировано" in page
    assert "«Тёмная тема»: новый статус — На рассмотрении" in page


_HREF = re.compile(r'href="(/[^"#]*)"')
# Not pages: feeds, downloads, the admin (Django's own, translated by Django), files.
_NOT_PAGES = re.compile(r"^/(admin|static|media|i18n)/|/(feed|rss|atom|export)|\.(xml|csv|txt|ico)")


@pytest.mark.parametrize("role,pages", [("author", _member_pages), ("staff", _staff_pages)])
def test_every_page_the_main_pages_link_to_is_in_russian(client, world, role, pages):
    """One step beyond the main pages: every page of the site they link to (a question's
    revisions, a flag page, an FAQ entry's edit page, a rules version, a page of a list…)."""
    client.force_login(world[role])
    client = _russian(client)
    usernames = set(Member.objects.values_list("username", flat=True))
    linked: set[str] = set()
    for url in pages(world):
        html = client.get(url, follow=True).content.decode()
        linked.update(h.replace("&amp;", "&") for h in _HREF.findall(html))
    linked -= set(pages(world))
    linked = {url for url in linked if not _NOT_PAGES.search(url)}
    found, broken = {}, {}
    for url in sorted(linked):
        response = client.get(url, follow=True)
        if response.status_code >= 500:
            broken[url] = response.status_code
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        words = _english_words(response.content.decode(), usernames)
        if words:
            found[url] = words
    assert len(linked) > 10
    assert not broken, broken
    assert not found, "\n".join(f"{url} {word}" for url, words in found.items() for word in words)


def test_the_error_pages_are_in_russian(client, world):
    client.force_login(world["author"])
    client = _russian(client)
    usernames = set(Member.objects.values_list("username", flat=True))
    for url, status in (("/no-such-page/", 404), (reverse("moderation:inbox"), 403)):
        response = client.get(url)
        assert response.status_code == status
        assert not _english_words(response.content.decode(), usernames), url


def test_the_emails_a_russian_member_gets_are_in_russian(world, settings):
    """What the site writes to a member who reads Russian: the welcome letter and a
    notification (an answer to their question)."""
    from datetime import timedelta

    from django.utils import timezone

    from forum.services.answers import answer_create
    from members.models import OutboundEmail
    from members.services import welcome_email_sweep

    author, other = world["author"], world["other"]
    answer_create(author=other, question=world["question"], body="Ещё один ответ.")
    Member.objects.filter(pk=author.pk).update(date_joined=timezone.now() - timedelta(hours=36))
    welcome_email_sweep()
    usernames = set(Member.objects.values_list("username", flat=True))
    emails = list(OutboundEmail.objects.filter(to=author.email))
    assert {e.kind for e in emails} >= {"welcome", "answer_new"}
    for email in emails:
        words = _english_words(f"{email.subject}\n{email.body}", usernames)
        assert not words, (email.kind, words)
