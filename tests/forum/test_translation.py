"""Categories in English and Russian: lists and pages show the reader's language, an empty
translation falls back to English, staff edit both in the admin."""

import pytest

from config.seeding import SeedContext
from forum import demo
from forum.models import Category
from members import demo as members_demo
from tests.forum.factories import CategoryFactory, QuestionFactory

pytestmark = pytest.mark.django_db

RU = {"HTTP_ACCEPT_LANGUAGE": "ru"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_category_page_and_question_list_show_the_readers_language(client):
    category = CategoryFactory(
        name="Billing", name_ru="Оплата", description="Invoices.", description_ru="Счета."
    )
    QuestionFactory(category=category)
    russian = client.get(category.get_absolute_url(), **RU).content.decode()
    assert "Оплата" in russian and "Счета." in russian and "Billing" not in russian
    english = client.get(category.get_absolute_url(), **EN).content.decode()
    assert "Billing" in english and "Invoices." in english and "Оплата" not in english
    assert "Оплата" in client.get("/questions/", **RU).content.decode()
    assert "Billing" in client.get("/questions/", **EN).content.decode()


def test_a_category_without_a_russian_name_shows_the_english_one(client):
    category = CategoryFactory(name="Reporting", description="Exports.")
    QuestionFactory(category=category)
    russian = client.get(category.get_absolute_url(), **RU).content.decode()
    assert "Reporting" in russian and "Exports." in russian


def test_staff_edit_both_names_in_the_admin_in_any_language(client, staff):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    category = CategoryFactory(name="Billing", name_ru="Оплата", slug="billing")
    url = f"/admin/forum/category/{category.pk}/change/"
    # A Russian-speaking editor sees the English name in the English field.
    form = client.get(url, **RU).content.decode()
    assert 'name="name" value="Billing"' in form and 'name="name_ru" value="Оплата"' in form
    response = client.post(
        url,
        {
            "name": "Billing & plans",
            "name_ru": "Оплата и тарифы",
            "slug": "billing",
            "description": "Invoices.",
            "description_ru": "",
            "position": "0",
        },
        **RU,
    )
    assert response.status_code == 302
    assert Category.objects.filter(pk=category.pk).values(
        "name", "name_ru", "description", "description_ru"
    )[0] == {
        "name": "Billing & plans",
        "name_ru": "Оплата и тарифы",
        "description": "Invoices.",
        "description_ru": "",
    }


def test_only_staff_reach_the_category_admin(client, member):
    client.force_login(member)
    assert client.get("/admin/forum/category/").status_code == 302  # to the admin log-in


def test_a_russian_reader_of_the_demo_sees_russian_categories(client):
    ctx = SeedContext(quiet=True, sizes={"members": 20, "questions": 10, "answers": 10})
    members_demo.seed(ctx)
    demo.seed(ctx)
    assert "Оплата и тарифы" in client.get("/questions/", **RU).content.decode()
    page = client.get("/questions/category/billing/", **RU).content.decode()
    assert "Счета, способы оплаты, тарифы и возвраты." in page
    assert "Billing &amp; plans" in client.get("/questions/", **EN).content.decode()


def test_the_cached_question_page_data_shows_each_reader_their_language(member_client):
    category = CategoryFactory(name="Billing", name_ru="Оплата")
    url = QuestionFactory(category=category).get_absolute_url()
    # The first view stores the question (with its category) in the cache for everyone.
    assert "Billing" in member_client.get(url, **EN).content.decode()
    russian = member_client.get(url, **RU).content.decode()
    assert "Оплата" in russian and ">Billing<" not in russian
    assert "Billing" in member_client.get(url, **EN).content.decode()
