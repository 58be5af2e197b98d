"""The idea board in the Django admin back office (found by the admin's autodiscovery)."""

from django.contrib import admin

from .models import Idea, IdeaStatusChange


class IdeaStatusChangeInline(admin.TabularInline):
    model = IdeaStatusChange
    extra = 0
    fields = readonly_fields = ("at", "from_status", "to_status", "by", "note")
    can_delete = False


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "status",
        "vote_count",
        "comment_count",
        "category",
        "author",
        "created_at",
        "moderation_state",
    ]
    list_filter = ["status", "moderation_state", "category"]
    search_fields = ["title", "description"]
    raw_id_fields = ["author", "merged_into"]
    # Counters and status move through the services (history, notifications), not here.
    readonly_fields = [
        "vote_count",
        "comment_count",
        "status",
        "status_changed_at",
        "merged_into",
        "description_html",
    ]
    inlines = [IdeaStatusChangeInline]
