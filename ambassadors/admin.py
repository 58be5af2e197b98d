from django.contrib import admin

from .models import AmbassadorApplication, Invitation, Perk, Referral, ReferrerStats


@admin.register(Perk)
class PerkAdmin(admin.ModelAdmin):
    list_display = ("title", "tier", "uses_codes", "position", "active")
    list_editable = ("position", "active")
    list_filter = ("tier", "active")


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ("referrer", "referred", "status", "created_at", "qualified_at")
    list_filter = ("status",)
    raw_id_fields = ("referrer", "referred", "invitation")
    readonly_fields = ("signup_ip_hash",)


@admin.register(ReferrerStats)
class ReferrerStatsAdmin(admin.ModelAdmin):
    list_display = ("member", "clicks", "signups", "qualified", "ambassador_since", "warned_at")
    raw_id_fields = ("member",)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("inviter", "email", "status", "created_at", "expires_at")
    raw_id_fields = ("inviter", "accepted_by")


@admin.register(AmbassadorApplication)
class AmbassadorApplicationAdmin(admin.ModelAdmin):
    list_display = ("member", "status", "created_at", "decided_at")
    raw_id_fields = ("member", "decided_by")
