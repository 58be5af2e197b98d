from django.urls import path, re_path

from . import views

app_name = "ambassadors"

urlpatterns = [
    path("ambassadors/", views.program_view, name="program"),
    path("ambassadors/leaderboard/", views.leaderboard_view, name="leaderboard"),
    path("ambassadors/invitations/", views.invitation_create_view, name="invitation-create"),
    # Codes and tokens are URL-safe base64; anything else is a 404 before any query.
    re_path(
        r"^ambassadors/invitations/(?P<token>[A-Za-z0-9_-]{1,40})/$",
        views.invitation_link_view,
        name="invitation",
    ),
    path("ambassadors/link/regenerate/", views.code_regenerate_view, name="code-regenerate"),
    path("ambassadors/apply/", views.application_create_view, name="apply"),
    path("ambassadors/staff/", views.staff_review_view, name="staff-review"),
    path("ambassadors/staff/items/<int:item_id>/", views.staff_decide_view, name="staff-decide"),
    path("ambassadors/staff/revoke/<int:member_id>/", views.ambassador_revoke_view, name="revoke"),
    path("ambassadors/perks/", views.my_perks_view, name="my-perks"),
    path("ambassadors/staff/perks/", views.staff_perks_view, name="staff-perks"),
    path("ambassadors/staff/perks/<int:pk>/", views.staff_perk_view, name="staff-perk"),
    path(
        "ambassadors/staff/perks/<int:pk>/grant/",
        views.staff_perk_grant_view,
        name="staff-perk-grant",
    ),
    path(
        "ambassadors/staff/perks/<int:pk>/grant-tier/",
        views.staff_perk_grant_tier_view,
        name="staff-perk-grant-tier",
    ),
    path(
        "ambassadors/staff/perks/<int:pk>/codes/",
        views.staff_perk_codes_view,
        name="staff-perk-codes",
    ),
    path(
        "ambassadors/staff/perk-grants/<int:pk>/revoke/",
        views.staff_perk_revoke_view,
        name="staff-perk-revoke",
    ),
    re_path(r"^r/(?P<code>[A-Za-z0-9_-]{1,32})/$", views.referral_link_view, name="referral-link"),
]
