"""Perks in English and Russian on the program page; staff write both in the admin."""

import pytest
from django.urls import reverse

from ambassadors import demo
from ambassadors.models import Perk
from config.seeding import SeedContext
from members import demo as members_demo

pytestmark = pytest.mark.django_db

RU = {"HTTP_ACCEPT_LANGUAGE": "ru"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_the_perk_catalogue_shows_the_readers_language_with_english_as_fallback(client):
    Perk.objects.create(
        title="Early access", title_ru="Ранний доступ", description="Betas.", description_ru="Беты."
    )
    Perk.objects.create(title="Swag pack", description="A mug.")
    russian = client.get(reverse("ambassadors:program"), **RU).content.decode()
    assert "<strong>Ранний доступ</strong> — Беты." in russian
    assert "<strong>Swag pack</strong> — A mug." in russian  # not translated yet
    assert "Early access" not in russian
    english = client.get(reverse("ambassadors:program"), **EN).content.decode()
    assert "<strong>Early access</strong> — Betas." in english and "Ранний" not in english


def test_staff_add_a_perk_in_both_languages_in_the_admin(client, staff):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    response = client.post(
        "/admin/ambassadors/perk/add/",
        {
            "title": "Early access",
            "title_ru": "Ранний доступ",
            "description": "Betas.",
            "description_ru": "Беты.",
            "position": "0",
            "active": "on",
        },
        **RU,
    )
    assert response.status_code == 302
    assert list(Perk.objects.values_list("title", "title_ru", "description", "description_ru")) == [
        ("Early access", "Ранний доступ", "Betas.", "Беты.")
    ]
    changelist = client.get("/admin/ambassadors/perk/", **RU).content.decode()
    assert "Ранний доступ" in changelist


def test_a_russian_reader_of_the_demo_sees_russian_perks(client):
    ctx = SeedContext(quiet=True)
    ctx.sizes.update(members=30, activity_days=50, referrals=10)
    members_demo.seed(ctx)
    demo.seed(ctx)
    russian = client.get(reverse("ambassadors:program"), **RU).content.decode()
    assert "Ранний доступ к бета-версиям" in russian and "Early access" not in russian
