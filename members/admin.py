from typing import cast

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import ActivityDay, CommunitySettings, Expertise, Member, Notification, OutboundEmail
from .services import community_settings_update


class ExpertiseInline(admin.TabularInline):
    model = Expertise
    extra = 0


@admin.register(Member)
class MemberAdmin(UserAdmin):
    list_display = (
        "username",
        "email",
        "display_name",
        "trust_level",
        "badge",
        "is_staff",
        "is_active",
        "date_joined",
        "last_seen",
    )
    list_filter = ("is_staff", "is_active", "trust_level", "badge", "groups")
    search_fields = ("username", "email", "display_name")
    inlines = [ExpertiseInline]
    fieldsets = tuple(UserAdmin.fieldsets or ()) + (
        (
            _("Community"),
            {
                "fields": (
                    "display_name",
                    "bio",
                    "website",
                    "preferred_language",
                    "email_preferences",
                    "digest_opt_in",
                    "last_seen",
                    "welcome_sent_at",
                )
            },
        ),
        (
            _("Standing"),
            {
                "fields": (
                    "reputation",
                    "trust_level",
                    "badge",
                    "silenced_until",
                    "suspended_until",
                    "banned_at",
                )
            },
        ),
    )


@admin.register(CommunitySettings)
class CommunitySettingsAdmin(admin.ModelAdmin):
    list_display = ("community_name", "private")

    def has_add_permission(self, request):
        return not CommunitySettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(
        self, request: HttpRequest, obj: CommunitySettings, form: ModelForm, change: bool
    ) -> None:
        # The admin lets only signed-in staff this far.
        community_settings_update(actor=cast(Member, request.user), settings=obj)


@admin.register(ActivityDay)
class ActivityDayAdmin(admin.ModelAdmin):
    list_display = ("member", "day")
    date_hierarchy = "day"
    raw_id_fields = ("member",)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "kind", "created_at", "read_at")
    list_filter = ("kind",)
    raw_id_fields = ("recipient", "actor")


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ("to", "kind", "subject", "created_at", "sent_at", "attempts")
    list_filter = ("kind",)
    raw_id_fields = ("recipient",)
    search_fields = ("to", "subject")
