"""Fill the new referred_signups column of the daily rows already rolled up: the sign-ups
credited to a referrer, per day of joining (the nightly job fills the days after)."""

from django.db import migrations
from django.db.models import Count
from django.db.models.functions import TruncDate


def fill(apps, schema_editor):
    DailyActiveCount = apps.get_model("analytics", "DailyActiveCount")
    Member = apps.get_model("members", "Member")
    Referral = apps.get_model("ambassadors", "Referral")
    per_day = (
        Member.objects.filter(pk__in=Referral.objects.values("referred_id"))
        .annotate(d=TruncDate("date_joined"))
        .values_list("d")
        .annotate(n=Count("id"))
        .order_by()
    )
    for day, n in per_day:
        DailyActiveCount.objects.filter(day=day).update(referred_signups=n)


def empty(apps, schema_editor):
    apps.get_model("analytics", "DailyActiveCount").objects.update(referred_signups=0)


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0003_dailyactivecount_referred_signups"),
        ("ambassadors", "0002_perk_russian"),
    ]

    operations = [migrations.RunPython(fill, empty)]
