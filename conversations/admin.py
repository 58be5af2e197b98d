"""Back office. Conversations show their dates and starter only: staff read a private
conversation only through a flag, on the site, where the visit is audited
(docs/messages.md)."""

from django.contrib import admin

from .models import Block, Conversation, MessageSettings


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ("id", "created_by", "created_at", "last_message_at")
    fields = ("created_by", "created_at", "last_message_at")
    readonly_fields = fields
    raw_id_fields = ("created_by",)
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ("blocker", "blocked", "created_at")
    raw_id_fields = ("blocker", "blocked")
    search_fields = ("blocker__username", "blocked__username")


@admin.register(MessageSettings)
class MessageSettingsAdmin(admin.ModelAdmin):
    list_display = ("member", "accept_from")
    list_filter = ("accept_from",)
    raw_id_fields = ("member",)
    search_fields = ("member__username",)
