from django.urls import path

from . import views

app_name = "ambassadors"

urlpatterns = [
    path("ambassadors/", views.program_view, name="program"),
    path("ambassadors/leaderboard/", views.leaderboard_view, name="leaderboard"),
    path("ambassadors/invitations/", views.invitation_create_view, name="invitation-create"),
    path("ambassadors/invitations/<str:token>/", views.invitation_link_view, name="invitation"),
    path("ambassadors/link/regenerate/", views.code_regenerate_view, name="code-regenerate"),
    path("ambassadors/apply/", views.application_create_view, name="apply"),
    path("ambassadors/staff/", views.staff_review_view, name="staff-review"),
    path("ambassadors/staff/items/<int:item_id>/", views.staff_decide_view, name="staff-decide"),
    path("ambassadors/staff/revoke/<int:member_id>/", views.ambassador_revoke_view,
         name="revoke"),
    path("r/<str:code>/", views.referral_link_view, name="referral-link"),
]
