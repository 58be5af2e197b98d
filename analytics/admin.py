from django.contrib import admin

from .models import CohortRetention, DailyActiveCount, ReengagementLetter, RollupWatermark


@admin.register(DailyActiveCount)
class DailyActiveCountAdmin(admin.ModelAdmin):
    list_display = ["day", "dau", "wau", "mau", "signups", "members_total"]
    date_hierarchy = "day"


@admin.register(CohortRetention)
class CohortRetentionAdmin(admin.ModelAdmin):
    list_display = ["cohort_week", "segment", "week", "cohort_size", "active"]
    list_filter = ["segment"]


@admin.register(RollupWatermark)
class RollupWatermarkAdmin(admin.ModelAdmin):
    list_display = ["metric", "computed_through", "updated_at"]


@admin.register(ReengagementLetter)
class ReengagementLetterAdmin(admin.ModelAdmin):
    list_display = ["member", "period", "sent_on", "back_by", "email"]
    list_filter = ["period"]
    raw_id_fields = ["member", "email"]
