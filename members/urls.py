from django.urls import path

from . import views, views_identity

app_name = "members"

urlpatterns = [
    path("members/", views.member_directory_view, name="directory"),
    path("members/<str:username>/", views.member_profile_view, name="profile"),
    path("settings/", views.settings_view, name="settings"),
    path("settings/profile/", views.settings_profile_view, name="settings-profile"),
    path("settings/preferences/", views.settings_preferences_view, name="settings-preferences"),
    path("settings/privacy/", views_identity.privacy_view, name="privacy"),
    path(
        "settings/privacy/export/",
        views_identity.data_export_request_view,
        name="data-export-request",
    ),
    path(
        "settings/privacy/export/<str:token>/",
        views_identity.data_export_download_view,
        name="data-export-download",
    ),
    path("settings/privacy/delete/", views_identity.account_delete_view, name="account-delete"),
    path("sso/login/", views_identity.sso_login_view, name="sso-login"),
    path("sso/return/", views_identity.sso_return_view, name="sso-return"),
    path("notifications/", views.notification_list_view, name="notifications"),
    path("notifications/read/", views.notification_read_view, name="notifications-read"),
    path("u/unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
    path("i18n/language/", views.language_set_view, name="language"),
]
