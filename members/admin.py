from typing import Any, cast

from django.conf import settings
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin
from django.db.models import Q, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .forms import CommunitySettingsAdminForm
from .models import (
    ActivityDay,
    CommunitySettings,
    Expertise,
    Member,
    Notification,
    OutboundEmail,
    ProductAccount,
    SsoGroupMapping,
)
from .services import community_settings_update
from .services_outbox import ACCOUNT_KIND, outbox_retry
from .services_privacy import member_erase


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
    actions = ("erase_personal_data",)

    @admin.action(description=_("Erase personal data (a member's request to be forgotten)"))
    def erase_personal_data(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        """Asks first (a page listing the members), then erases each, with an audit row."""
        members = list(queryset.filter(deleted_at__isnull=True))
        if request.POST.get("confirm") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "members": members,
                "opts": self.model._meta,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "title": _("Erase personal data"),
            }
            return TemplateResponse(request, "admin/members/erase_confirm.html", context)
        reason = request.POST.get("reason", "")[:500]
        actor = cast(Member, request.user)
        for member in members:
            member_erase(actor=actor, member=member, reason=reason)
        message = ngettext(
            "%(count)d member was erased.", "%(count)d members were erased.", len(members)
        )
        self.message_user(request, message % {"count": len(members)})
        return None

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
    # Its thresholds may be left out of a post (they keep their values), as on the staff page.
    form = CommunitySettingsAdminForm

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


class OutboxStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("pending", _("Waiting")), ("failed", _("Gave up")), ("sent", _("Sent"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "sent":
            return queryset.filter(sent_at__isnull=False)
        given_up = Q(attempts__gte=settings.VECHE_OUTBOX_MAX_ATTEMPTS)
        if self.value() == "failed":
            return queryset.filter(given_up, sent_at__isnull=True)
        if self.value() == "pending":
            return queryset.filter(sent_at__isnull=True).exclude(given_up)
        return queryset


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ("to", "kind", "subject", "created_at", "sent_at", "attempts", "last_error")
    list_filter = (OutboxStateFilter, "kind")
    raw_id_fields = ("recipient",)
    search_fields = ("to", "subject", "message_id")
    actions = ("send_again",)

    def get_exclude(
        self, request: HttpRequest, obj: OutboundEmail | None = None
    ) -> tuple[str, ...]:
        if obj is not None and obj.kind == ACCOUNT_KIND:
            # Sign-up codes and password reset links are credentials, not for staff's eyes.
            return ("body", "html_body")
        return ()

    @admin.action(description=_("Send again (a fresh set of attempts)"))
    def send_again(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = outbox_retry(ids=queryset.values_list("pk", flat=True))
        message = ngettext(
            "%(count)d e-mail will be sent again.", "%(count)d e-mails will be sent again.", count
        )
        self.message_user(request, message % {"count": count})


@admin.register(SsoGroupMapping)
class SsoGroupMappingAdmin(admin.ModelAdmin):
    list_display = ("product_group", "group", "badge")


@admin.register(ProductAccount)
class ProductAccountAdmin(admin.ModelAdmin):
    list_display = ("external_id", "member", "last_login_at")
    search_fields = ("external_id", "member__username")
    raw_id_fields = ("member",)
    readonly_fields = ("groups", "avatar_url", "created_at", "last_login_at")
