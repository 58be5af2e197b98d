from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType

from members.models import ActivityDay, Member
from moderation.models import Flag
from moderation.services.trust import trust_level_for
from moderation.tasks import trust_level_recompute_task
from tests.factories import MemberFactory
from tests.moderation.factories import CommentFactory

pytestmark = pytest.mark.django_db


def test_trust_level_thresholds_come_from_settings(settings):
    settings.VECHE_TRUST_LEVELS = {
        1: {"days": 2, "posts": 1, "likes": 0},
        2: {"days": 10, "posts": 5, "likes": 5},
        3: {"days": 50, "posts": 30, "likes": 50},
    }
    assert trust_level_for(days=0, posts=0, likes=0, flags_upheld=0) == 0
    assert trust_level_for(days=2, posts=1, likes=0, flags_upheld=0) == 1
    assert trust_level_for(days=10, posts=5, likes=5, flags_upheld=0) == 2
    assert trust_level_for(days=99, posts=99, likes=99, flags_upheld=0) == 3
    settings.VECHE_TRUST_FLAGS_PER_DEMOTION = 2
    assert trust_level_for(days=99, posts=99, likes=99, flags_upheld=4) == 1


def days_active(member, n):
    ActivityDay.objects.bulk_create(
        [ActivityDay(member=member, day=date(2026, 1, 1) + timedelta(days=i)) for i in range(n)]
    )


def test_recompute_promotes_active_members_and_demotes_flagged_ones(settings, moderator):
    settings.VECHE_TRUST_LEVELS = {
        1: {"days": 2, "posts": 1, "likes": 0},
        2: {"days": 5, "posts": 3, "likes": 2},
        3: {"days": 50, "posts": 30, "likes": 50},
    }
    newbie = MemberFactory(trust_level=0)
    active = MemberFactory(trust_level=0, reputation=3)
    days_active(active, 6)
    CommentFactory.create_batch(3, author=active)
    troll = MemberFactory(trust_level=2, reputation=10)
    days_active(troll, 6)
    CommentFactory.create_batch(3, author=troll)
    ct = ContentType.objects.get_for_model(CommentFactory._meta.model)
    from tests.moderation.factories import current_rule

    for c in CommentFactory.create_batch(2):
        Flag.objects.create(
            flagger=MemberFactory(),
            target_type=ct,
            target_id=c.pk,
            member=troll,
            rule=current_rule(),
            outcome="upheld",
        )
    staff = MemberFactory(is_staff=True, trust_level=0)
    changed = trust_level_recompute_task()
    levels = dict(Member.objects.values_list("pk", "trust_level"))
    assert levels[newbie.pk] == 0
    assert levels[active.pk] == 2
    assert levels[troll.pk] == 1
    assert levels[staff.pk] == 3 and levels[moderator.pk] == 3
    assert changed >= 3


def test_commands_run_the_same_services(capsys):
    from django.core.management import call_command

    MemberFactory(trust_level=2)
    call_command("recompute_trust_levels")
    call_command("expire_sanctions")
    out = capsys.readouterr().out
    assert "trust levels changed" in out and "sanctions ended" in out
