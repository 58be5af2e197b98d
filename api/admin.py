"""The back office: tokens (revoking only) and bot accounts."""

from django.contrib import admin
from django.http import HttpRequest

from .models import ApiToken, BotAccount


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "member", "created_by", "created_at", "last_used_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "member__username")
    readonly_fields = (
        "member",
        "created_by",
        "name",
        "scopes",
        "prefix",
        "token_hash",
        "created_at",
        "last_used_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # made on the token page, where the secret is shown once


@admin.register(BotAccount)
class BotAccountAdmin(admin.ModelAdmin):
    list_display = ("member", "created_by", "created_at")
    raw_id_fields = ("member",)
    readonly_fields = ("created_by", "created_at")
