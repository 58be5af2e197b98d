"""Perk codes under concurrency on PostgreSQL: members granted the same perk at the same
moment each get a different code (the pick skips locked rows), and when the pool holds
fewer codes than requests, the extra requests are refused — no code is handed out twice."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from ambassadors import services
from ambassadors.models import Perk, PerkCode, PerkGrant
from tests.factories import MemberFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(functions) -> tuple[int, list[Exception]]:
    barrier = threading.Barrier(len(functions))
    done: list[int] = []
    refused: list[Exception] = []
    unexpected: list[Exception] = []

    def wrap(fn):
        try:
            barrier.wait()
            fn()
            done.append(1)
        except ValidationError as exc:
            refused.append(exc)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            unexpected.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=wrap, args=(fn,)) for fn in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not unexpected, unexpected
    return len(done), refused


@pytest.mark.parametrize("codes", [3, 6])
def test_concurrent_grants_never_hand_out_a_code_twice(codes):
    staff = MemberFactory(is_staff=True)
    perk = Perk.objects.create(title="Discount", uses_codes=True)
    PerkCode.objects.bulk_create([PerkCode(perk=perk, code=f"C{n}") for n in range(codes)])
    members = [MemberFactory() for _ in range(6)]

    def grant(member):
        return lambda: services.perk_grant(actor=staff, perk=perk, member=member)

    granted, refused = _race([grant(m) for m in members])
    assert granted == codes and len(refused) == 6 - codes
    handed = list(PerkGrant.objects.filter(perk=perk).values_list("code_id", flat=True))
    assert len(handed) == codes and len(set(handed)) == codes
    assert PerkCode.objects.filter(perk=perk, handed_out_at__isnull=False).count() == codes


def test_the_same_member_granted_twice_at_once_holds_the_perk_once():
    staff = MemberFactory(is_staff=True)
    perk = Perk.objects.create(title="Discount", uses_codes=True)
    PerkCode.objects.bulk_create([PerkCode(perk=perk, code=f"C{n}") for n in range(4)])
    member = MemberFactory()
    granted, refused = _race(
        [lambda: services.perk_grant(actor=staff, perk=perk, member=member) for _ in range(4)]
    )
    assert granted == 1 and len(refused) == 3
    assert PerkGrant.objects.filter(member=member).count() == 1
    # The codes the refused requests had claimed went back with their rolled-back transaction.
    assert PerkCode.objects.filter(perk=perk, handed_out_at__isnull=True).count() == 3
