from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from config.seeding import copy_rows, foreign_keys_checked_after
from members.models import ActivityDay
from tests.factories import MemberFactory


def foreign_keys(model) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
            [model._meta.db_table],
        )
        return cursor.fetchall()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_bulk_load_checks_the_foreign_keys_after_it_and_puts_them_back():
    keys = foreign_keys(ActivityDay)
    assert keys
    member = MemberFactory()
    with foreign_keys_checked_after(ActivityDay):
        assert foreign_keys(ActivityDay) == []
        copy_rows(ActivityDay, ["member_id", "day"], [(member.pk, date(2026, 1, 1))])
    assert foreign_keys(ActivityDay) == keys
    with pytest.raises(IntegrityError):
        with foreign_keys_checked_after(ActivityDay):
            copy_rows(ActivityDay, ["member_id", "day"], [(member.pk + 999, date(2026, 1, 2))])
    # the load is undone and the keys are back
    assert foreign_keys(ActivityDay) == keys
    assert list(ActivityDay.objects.values_list("day", flat=True)) == [date(2026, 1, 1)]


@pytest.mark.postgres
@pytest.mark.django_db
def test_inside_a_transaction_the_foreign_keys_stay():
    keys = foreign_keys(ActivityDay)
    with transaction.atomic(), foreign_keys_checked_after(ActivityDay):
        assert foreign_keys(ActivityDay) == keys
