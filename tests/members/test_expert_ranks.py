"""The best experts of each tag, ranked (``members.ExpertRank``): what "members who could
answer" beside a question reads instead of walking members by reputation. Ranked again when a
member's expertise changes and by beat; the ranked members' own rows decide the rest (banned,
inactive, reputation now)."""

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from config.cache import versions
from members.models import Expertise, ExpertRank
from members.services import EXPERTS_RANKED, expert_ranks_refresh
from members.tasks import expert_ranks_refresh_task
from tests.factories import MemberFactory, logged_in
from tests.forum.factories import QuestionFactory, TagFactory

pytestmark = pytest.mark.django_db

EXPERTS = "Members who could answer"


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.VECHE_PAGE_CACHE_SECONDS = 0  # each page reads the ranks


def _ranked(slug: str) -> list[int]:
    return sorted(ExpertRank.objects.filter(tag_slug=slug).values_list("member_id", flat=True))


def test_a_member_who_names_an_area_on_their_profile_is_suggested_at_once(client):
    TagFactory(slug="sso")
    question = QuestionFactory(tags=[TagFactory(slug="sso-x")])
    member = MemberFactory(display_name="Erin Expert")
    form = {
        "profile-display_name": "Erin Expert",
        "profile-preferred_language": "en",
        "profile-expertise": "sso-x",
    }
    assert logged_in(member).post(reverse("members:settings-profile"), form).status_code == 302
    assert _ranked("sso-x") == [member.pk]
    body = client.get(question.get_absolute_url()).content.decode()
    assert EXPERTS in body and "Erin Expert" in body
    form["profile-expertise"] = "sso"
    logged_in(member).post(reverse("members:settings-profile"), form)
    assert _ranked("sso-x") == [] and _ranked("sso") == [member.pk]
    assert "Erin Expert" not in client.get(question.get_absolute_url()).content.decode()


def test_ranks_keep_the_best_of_each_tag_and_beat_ranks_them_again():
    members = [MemberFactory(reputation=10 * i) for i in range(EXPERTS_RANKED + 3)]
    Expertise.objects.bulk_create(Expertise(member=m, tag_slug="billing") for m in members)
    assert _ranked("billing") == []  # a bulk insert sends no signal
    assert expert_ranks_refresh_task() == EXPERTS_RANKED
    best = sorted(m.pk for m in members[3:])
    assert _ranked("billing") == best
    # The weakest expert climbs: ranked at beat's next refresh, not before.
    members[0].reputation = 10_000
    members[0].save(update_fields=["reputation"])
    assert members[0].pk not in _ranked("billing")
    expert_ranks_refresh_task()
    assert members[0].pk in _ranked("billing") and members[3].pk not in _ranked("billing")
    # A tag nobody has expertise in any more leaves the ranks at beat's refresh.
    Expertise.objects.filter(tag_slug="billing").delete()
    ExpertRank.objects.create(tag_slug="gone", member=members[1])
    assert expert_ranks_refresh_task() == 0 and not ExpertRank.objects.exists()


def test_one_expertise_saved_or_deleted_ranks_its_tag_again():
    member = MemberFactory()
    row = Expertise.objects.create(member=member, tag_slug="api")  # the admin's way
    assert _ranked("api") == [member.pk]
    row.delete()
    assert _ranked("api") == []


def test_a_ranked_member_banned_or_gone_inactive_is_not_suggested_and_the_order_is_live(client):
    tag = TagFactory(slug="webhooks")
    question = QuestionFactory(tags=[tag])
    low, high = (
        MemberFactory(display_name="Lowe", reputation=1),
        MemberFactory(display_name="Highe", reputation=50),
    )
    for member in (low, high):
        Expertise.objects.create(member=member, tag_slug="webhooks")
    body = client.get(question.get_absolute_url()).content.decode()
    assert body.index("Highe") < body.index("Lowe")
    low.reputation = 100  # reputation now orders the ranked members, before any refresh
    low.save(update_fields=["reputation"])
    body = client.get(question.get_absolute_url()).content.decode()
    assert body.index("Lowe") < body.index("Highe")
    high.banned_at = timezone.now()
    high.save(update_fields=["banned_at"])
    low.is_active = False
    low.save(update_fields=["is_active"])
    body = client.get(question.get_absolute_url()).content.decode()
    assert "Highe" not in body and "Lowe" not in body


def test_ranking_again_touches_nothing_shared_and_beat_runs_it():
    Expertise.objects.bulk_create(
        Expertise(member=m, tag_slug="api") for m in MemberFactory.create_batch(3)
    )
    before = versions(("site", "members", "questions"))
    expert_ranks_refresh()
    assert versions(("site", "members", "questions")) == before
    entry = django_settings.CELERY_BEAT_SCHEDULE["members.expert_ranks_refresh"]
    assert entry["task"] == "members.expert_ranks_refresh"
