"""config.translation: reading gives the reader's language; nothing that stores, validates
or reloads a row ever copies the translation into the English column."""

import pytest
from django.utils import translation

from config.translation import stored
from forum.models import Category

pytestmark = pytest.mark.django_db


def stored_row(pk):
    return Category.objects.filter(pk=pk).values("name", "name_ru")[0]


def test_writes_and_reloads_in_russian_keep_the_english_column():
    category = Category.objects.create(name="Billing", name_ru="Оплата", slug="billing")
    with translation.override("ru"):
        assert category.name == "Оплата" and str(category) == "Оплата"
        category.full_clean()
        category.save()
        Category.objects.bulk_create([Category(name="API", name_ru="АПИ", slug="api")])
        category.refresh_from_db()
        assert stored(category, "name") == "Billing"
        deferred = Category.objects.defer("name").get(pk=category.pk)
        assert deferred.name == "Оплата" and stored(deferred, "name") == "Billing"
        deferred.save()
    assert stored_row(category.pk) == {"name": "Billing", "name_ru": "Оплата"}
    assert Category.objects.get(slug="api").name == "API"
    assert category.name == "Billing"


def test_a_blank_translation_falls_back_and_a_region_counts_as_its_language():
    category = Category.objects.create(name="Billing", name_ru="  ", slug="billing")
    with translation.override("ru"):
        assert category.name == "Billing"
    category.name_ru = "Оплата"
    with translation.override("ru-ru"):
        assert category.name == "Оплата"
    with translation.override(None):
        assert category.name == "Billing"
