"""Rules and pages in English and Russian: readers see their language, an empty translation
falls back to English, staff write both on the publish page and in the admin."""

import pytest
from django.contrib.contenttypes.models import ContentType

from config.seeding import SeedContext
from config.translation import stored
from members import demo as members_demo
from moderation import demo, services
from moderation.models import Document, DocumentVersion
from tests.forum.factories import QuestionFactory

pytestmark = pytest.mark.django_db

RU = {"HTTP_ACCEPT_LANGUAGE": "ru"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def publish_bilingual(staff, *, slug="rules", body_ru="Вступление **жирным**."):
    return services.document_version_publish(
        actor=staff,
        document=Document.objects.get(slug=slug),
        change_summary="Translated.",
        change_summary_ru="Переведено.",
        body="Introduction in **bold**.",
        body_ru=body_ru,
        rules=[
            ("Be kind", "No *insults*.", "Будьте добры", "Без *оскорблений*."),
            ("Stay on topic", "Really.", "", ""),
        ]
        if slug == "rules"
        else [],
    )


def test_a_russian_reader_sees_the_russian_rules_rendered_and_an_english_reader_the_english(
    client, staff
):
    publish_bilingual(staff)
    russian = client.get("/rules/", **RU).content.decode()
    assert "Будьте добры" in russian and "Без <em>оскорблений</em>." in russian
    assert "Вступление <strong>жирным</strong>." in russian and "Переведено." in russian
    assert "Be kind" not in russian and "Introduction in" not in russian
    english = client.get("/rules/", **EN).content.decode()
    assert "Be kind" in english and "No <em>insults</em>." in english
    assert "Introduction in <strong>bold</strong>." in english
    assert "Будьте добры" not in english and "Вступление" not in english


def test_an_empty_translation_falls_back_to_english(client, staff):
    publish_bilingual(staff, body_ru="")
    russian = client.get("/rules/", **RU).content.decode()
    assert "Stay on topic" in russian and "Really." in russian  # rule 2 has no Russian
    assert "Introduction in <strong>bold</strong>." in russian  # nor has the introduction


def test_a_page_shows_its_russian_title_and_body(client, staff):
    document = Document.objects.get(slug="moderation-policy")
    document.title_ru = "Как устроена модерация"
    document.save()
    publish_bilingual(staff, slug="moderation-policy", body_ru="Модераторы **помогают**.")
    russian = client.get("/pages/moderation-policy/", **RU).content.decode()
    assert "<h1>Как устроена модерация</h1>" in russian
    assert "Модераторы <strong>помогают</strong>." in russian
    english = client.get("/pages/moderation-policy/", **EN).content.decode()
    assert "<h1>Moderation policy</h1>" in english and "Модераторы" not in english


def test_rules_acceptance_lists_the_rules_in_the_readers_language(member_client, staff):
    publish_bilingual(staff)
    page = member_client.get("/rules/accept/", **RU).content.decode()
    assert "<strong>Будьте добры</strong>" in page and "<strong>Stay on topic</strong>" in page


def test_staff_publish_both_languages_and_the_form_starts_from_both(staff_client, staff):
    publish_bilingual(staff)
    # A Russian-speaking editor still gets the English texts in the English fields.
    form = staff_client.get("/rules/publish/", **RU).content.decode()
    assert 'name="rules-0-title" value="Be kind"' in form
    assert 'name="rules-0-title_ru" value="Будьте добры"' in form
    assert "Introduction in **bold**.</textarea>" in form
    assert "Вступление **жирным**.</textarea>" in form
    data = {
        "change_summary": "Shorter.",
        "change_summary_ru": "Короче.",
        "body": "Read *this*.",
        "body_ru": "Прочтите *это*.",
        "rules-TOTAL_FORMS": "2",
        "rules-INITIAL_FORMS": "0",
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
        "rules-0-title": "Be nice",
        "rules-0-title_ru": "Будьте вежливы",
        "rules-0-explanation": "Always.",
        "rules-0-explanation_ru": "**Всегда**.",
        "rules-1-title": "No spam",
    }
    assert staff_client.post("/rules/publish/", data, **RU).status_code == 302
    version = DocumentVersion.objects.get(document__slug="rules", number=3)
    stored = DocumentVersion.objects.filter(pk=version.pk).values(
        "change_summary", "change_summary_ru", "body", "body_ru", "body_html", "body_html_ru"
    )[0]
    assert stored == {
        "change_summary": "Shorter.",
        "change_summary_ru": "Короче.",
        "body": "Read *this*.",
        "body_ru": "Прочтите *это*.",
        "body_html": "<p>Read <em>this</em>.</p>\n",
        "body_html_ru": "<p>Прочтите <em>это</em>.</p>\n",
    }
    rules = list(
        version.rules.values_list(
            "title", "title_ru", "explanation", "explanation_ru", "explanation_html_ru"
        )
    )
    assert rules == [
        (
            "Be nice",
            "Будьте вежливы",
            "Always.",
            "**Всегда**.",
            "<p><strong>Всегда</strong>.</p>\n",
        ),
        ("No spam", "", "", "", ""),
    ]


def test_the_diff_compares_the_versions_in_the_readers_language(client, staff):
    publish_bilingual(staff)
    services.document_version_publish(
        actor=staff,
        document=Document.objects.get(slug="rules"),
        change_summary="Kinder.",
        body="Introduction in **bold**.",
        body_ru="Вступление **жирным**.",
        rules=[("Be very kind", "No *insults*.", "Будьте очень добры", "Без *оскорблений*.")],
    )
    russian = client.get("/rules/diff/?from=2&to=3", **RU).content.decode()
    assert "Будьте очень добры" in russian and "Be very kind" not in russian


def test_cached_rule_choices_keep_each_language_apart(moderator_client, staff):
    publish_bilingual(staff)
    question = QuestionFactory()
    url = question.get_absolute_url()
    # The moderator's hide form lists the cached rule choices; English first fills the cache.
    assert "1. Be kind</option>" in moderator_client.get(url, **EN).content.decode()
    russian = moderator_client.get(url, **RU).content.decode()
    assert "1. Будьте добры</option>" in russian and "1. Be kind</option>" not in russian
    assert "2. Stay on topic</option>" in russian  # no Russian title: the English one
    assert "1. Be kind</option>" in moderator_client.get(url, **EN).content.decode()


def test_the_flag_form_names_the_rules_in_the_readers_language(member_client, staff):
    publish_bilingual(staff)
    question = QuestionFactory()
    content_type = ContentType.objects.get_for_model(question)
    flag = member_client.get(f"/moderation/flag/{content_type.pk}/{question.pk}/", **RU)
    assert "1. Будьте добры" in flag.content.decode()


def test_a_russian_reader_of_the_demo_reads_russian_rules_and_pages(client):
    ctx = SeedContext(quiet=True, sizes={"members": 20, "flags": 20, "history_days": 30})
    members_demo.seed(ctx)
    demo.seed(ctx)
    rules = client.get("/rules/", **RU).content.decode()
    assert "<h1>Правила сообщества</h1>" in rules
    assert "Говорите, если ответ написан ИИ" in rules and "Будьте доброжелательны" in rules
    assert "Партнёрские и реферальные ссылки" in rules  # rule 4 as changed in version 2
    assert "Say when an answer is AI-generated" in client.get("/rules/", **EN).content.decode()
    policy = client.get("/pages/moderation-policy/", **RU).content.decode()
    assert "Как здесь работает модерация." in policy
    assert "Условия программы" in client.get("/pages/ambassador-terms/", **RU).content.decode()


def test_staff_give_a_page_its_russian_title_in_the_admin(client, staff):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    document = Document.objects.get(slug="moderation-policy")
    url = f"/admin/moderation/document/{document.pk}/change/"
    form = client.get(url, **RU).content.decode()
    assert 'name="title" ' in form and 'name="title_ru" ' in form
    data = {"slug": "moderation-policy", "title": "Moderation policy", "position": "1"}
    response = client.post(url, {**data, "title_ru": "Модерация"}, **RU)
    assert response.status_code == 302
    document.refresh_from_db()
    assert (stored(document, "title"), document.title_ru) == ("Moderation policy", "Модерация")
    version = document.versions.get(number=1)
    page = client.get(f"/admin/moderation/documentversion/{version.pk}/change/", **RU)
    assert page.status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "member", "moderator"])
def test_only_staff_publish_russian_texts(client, who, member, moderator):
    if who != "anonymous":
        client.force_login(member if who == "member" else moderator)
    response = client.post("/rules/publish/", {"change_summary": "x", "body_ru": "Нет."}, **RU)
    assert response.status_code in (302, 403)
    assert not DocumentVersion.objects.filter(body_ru="Нет.").exists()
