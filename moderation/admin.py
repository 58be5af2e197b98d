from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from .models import (
    Appeal,
    AuditLogEntry,
    BlockedWord,
    Document,
    DocumentVersion,
    Flag,
    QueueItem,
    Rule,
    Sanction,
)
from .services.screening import blocked_words_cache_clear


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log can be read and searched here, never changed or deleted."""

    list_display = ("created_at", "actor", "action", "target_repr", "member", "rule")
    list_filter = ("action",)
    search_fields = ("target_repr", "reason", "actor__username", "member__username")
    date_hierarchy = "created_at"
    list_select_related = ("actor", "member", "rule")
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BlockedWord)
class BlockedWordAdmin(admin.ModelAdmin):
    list_display = ("word", "created_at", "created_by")
    search_fields = ("word",)
    readonly_fields = ("created_by", "created_at")

    def save_model(
        self, request: HttpRequest, obj: BlockedWord, form: ModelForm, change: bool
    ) -> None:
        if not change and request.user.is_authenticated:  # always, in the admin
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        blocked_words_cache_clear()

    def delete_model(self, request: HttpRequest, obj: BlockedWord) -> None:
        super().delete_model(request, obj)
        blocked_words_cache_clear()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[BlockedWord]) -> None:
        # "Delete selected": the same invalidation as deleting one.
        super().delete_queryset(request, queryset)
        blocked_words_cache_clear()


class RuleInline(admin.TabularInline):
    model = Rule
    extra = 0
    fields = ("number", "title", "title_ru", "explanation", "explanation_ru")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "position")


@admin.register(DocumentVersion)
class DocumentVersionAdmin(admin.ModelAdmin):
    """Versions are published through the site's staff form; here they are read-only."""

    list_display = ("document", "number", "published_at", "published_by", "requires_reacceptance")
    list_filter = ("document",)
    inlines = [RuleInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "flagger",
        "target_type",
        "target_id",
        "rule",
        "weight",
        "outcome",
    )
    list_filter = ("outcome", "target_type")
    raw_id_fields = ("flagger", "member")


@admin.register(Sanction)
class SanctionAdmin(admin.ModelAdmin):
    list_display = ("created_at", "member", "kind", "ends_at", "ended_at", "created_by")
    list_filter = ("kind",)
    raw_id_fields = ("member", "created_by")

    # Sanctions are applied and lifted through the site, each with an audit row.
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    list_display = ("created_at", "member", "outcome")
    raw_id_fields = ("member", "decision")


@admin.register(QueueItem)
class QueueItemAdmin(admin.ModelAdmin):
    list_display = (
        "queue",
        "target_type",
        "target_id",
        "member",
        "priority",
        "created_at",
        "resolution",
    )
    list_filter = ("queue", "resolution")
    raw_id_fields = ("member", "claimed_by", "resolved_by")
