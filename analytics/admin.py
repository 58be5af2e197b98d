from django.contrib import admin
from django.db import transaction

from .models import (
    CohortRetention,
    CrossLinkPeriod,
    DailyActiveCount,
    ReengagementLetter,
    RollupWatermark,
)
from .services import dashboard_cache_invalidate


class DashboardRowsAdmin(admin.ModelAdmin):
    """Rows the dashboard shows: a hand edit starts a new cache generation, as the jobs do."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        transaction.on_commit(dashboard_cache_invalidate)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(dashboard_cache_invalidate)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        transaction.on_commit(dashboard_cache_invalidate)


@admin.register(DailyActiveCount)
class DailyActiveCountAdmin(DashboardRowsAdmin):
    list_display = ["day", "dau", "wau", "mau", "signups", "members_total"]
    date_hierarchy = "day"


@admin.register(CohortRetention)
class CohortRetentionAdmin(DashboardRowsAdmin):
    list_display = ["cohort_week", "segment", "week", "cohort_size", "active"]
    list_filter = ["segment"]


@admin.register(CrossLinkPeriod)
class CrossLinkPeriodAdmin(DashboardRowsAdmin):
    list_display = ["kind", "start", "pairs", "linked", "active", "active_linked_n", "min_links"]
    list_filter = ["kind"]


@admin.register(RollupWatermark)
class RollupWatermarkAdmin(DashboardRowsAdmin):
    list_display = ["metric", "computed_through", "updated_at"]


@admin.register(ReengagementLetter)
class ReengagementLetterAdmin(DashboardRowsAdmin):
    list_display = ["member", "sender", "template", "period", "sent_on", "back_by", "email"]
    list_filter = ["period", "sent_on"]
    raw_id_fields = ["member", "sender", "template", "email"]
