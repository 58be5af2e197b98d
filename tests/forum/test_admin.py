import pytest

from tests.forum.factories import AnswerFactory, FaqEntryFactory

pytestmark = pytest.mark.django_db


def test_admin_lists_open_for_superusers(client, staff):
    staff.is_superuser = True
    staff.save()
    AnswerFactory()
    FaqEntryFactory()
    client.force_login(staff)
    for model in ("question", "answer", "category", "tag", "faqentry", "deflectionfeedback"):
        assert client.get(f"/admin/forum/{model}/").status_code == 200
