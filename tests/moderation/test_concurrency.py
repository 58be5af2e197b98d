import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from moderation import services
from moderation.content import ModerationState
from moderation.models import AuditLogEntry, Flag
from tests.factories import MemberFactory, ModeratorFactory
from tests.moderation.factories import CommentFactory, current_rule, new_member

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(*functions):
    barrier = threading.Barrier(len(functions))
    results = [None] * len(functions)

    def runner(i, fn):
        barrier.wait()
        try:
            results[i] = fn()
        except Exception as exc:  # noqa: BLE001
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, f)) for i, f in enumerate(functions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_moderators_deciding_the_same_item_at_once_decide_it_once():
    author = new_member()
    comment = CommentFactory(author=author, moderation_state=ModerationState.HELD)
    item = services.content_held(target=comment, author=author, reasons=["new"])
    a, b = ModeratorFactory(), ModeratorFactory()
    rule = current_rule()
    results = run_together(
        lambda: services.queue_item_approve(actor=a, item=item),
        lambda: services.queue_item_reject(actor=b, item=item, rule=rule),
    )
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert AuditLogEntry.objects.count() == 1


def test_simultaneous_flags_by_one_member_store_one_flag():
    comment = CommentFactory()
    flagger = MemberFactory()
    rule = current_rule()
    results = run_together(
        *[lambda: services.flag_create(flagger=flagger, target=comment, rule=rule)] * 3
    )
    assert sum(isinstance(r, Flag) for r in results) == 1, results
    assert Flag.objects.count() == 1
