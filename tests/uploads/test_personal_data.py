"""Uploads in "export my data" and "delete my account"."""

import pytest
from django.test import Client

from members import personal_data
from tests.factories import logged_in
from tests.forum.factories import FaqEntryFactory, QuestionFactory
from uploads.models import Upload
from uploads.services import storage

from .conftest import image_bytes
from .helpers import send

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("store", "limits")]


@pytest.fixture
def two_uploads(member):
    client = logged_in(member)
    in_post = send(client, "a.png", image_bytes()).json()
    QuestionFactory(author=member, body=in_post["markdown"])
    send(client, "b.png", image_bytes())
    return Upload.objects.order_by("pk")


def test_export_lists_the_members_uploads(member, two_uploads):
    rows = personal_data.SOURCES["uploads.files"].export(member)
    assert [(r["name"], r["in_a_post"]) for r in rows] == [("a.png", True), ("b.png", False)]


@pytest.mark.parametrize(("remove_posts", "left"), [(False, ["a.png"]), (True, [])])
def test_erase(member, two_uploads, remove_posts, left, django_capture_on_commit_callbacks):
    paths = {u.name: u.path for u in two_uploads}
    with django_capture_on_commit_callbacks(execute=True):
        personal_data.SOURCES["uploads.files"].erase(member, remove_posts)
    assert sorted(Upload.objects.values_list("name", flat=True)) == left
    assert {name for name, path in paths.items() if storage().exists(path)} == set(left)


def test_faq_entries_take_their_authors_uploads(staff):
    upload = send(logged_in(staff), "chart.png", image_bytes()).json()
    entry = FaqEntryFactory(created_by=staff, body=upload["markdown"], is_published=False)
    assert Upload.objects.get().post_id == entry.pk
    assert logged_in(staff).get(upload["url"]).status_code == 200
    assert Client().get(upload["url"]).status_code == 404  # an unpublished entry
