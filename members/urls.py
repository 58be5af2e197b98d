from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("members/", views.member_directory_view, name="directory"),
    path("members/<str:username>/", views.member_profile_view, name="profile"),
    path("settings/", views.settings_view, name="settings"),
    path("settings/profile/", views.settings_profile_view, name="settings-profile"),
    path("settings/preferences/", views.settings_preferences_view, name="settings-preferences"),
    path("notifications/", views.notification_list_view, name="notifications"),
    path("notifications/read/", views.notification_read_view, name="notifications-read"),
    path("u/unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
    path("i18n/language/", views.language_set_view, name="language"),
    path("staff/letters/", views.letter_list_view, name="letter-list"),
    path("staff/letters/new/", views.letter_create_view, name="letter-new"),
    path("staff/letters/<int:pk>/", views.letter_edit_view, name="letter-edit"),
    path("staff/letters/welcome/", views.welcome_letter_edit_view, name="welcome-letter"),
]
