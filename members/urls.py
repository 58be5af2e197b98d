from django.urls import path

from . import views, views_badges, views_club, views_identity, views_mentions

app_name = "members"

urlpatterns = [
    path("members/", views.member_directory_view, name="directory"),
    path("members/<str:username>/", views.member_profile_view, name="profile"),
    path("members/<str:username>/card/", views_badges.member_card_view, name="card"),
    path("badges/", views_badges.badge_list_view, name="badges"),
    path("badges/<slug:slug>/", views_badges.badge_detail_view, name="badge"),
    path("members/<str:username>/follow/", views.member_follow_view, name="follow"),
    path("members/<str:username>/unfollow/", views.member_unfollow_view, name="unfollow"),
    path("feed/", views.member_feed_view, name="feed"),
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
    path("settings/sessions/", views_identity.sessions_view, name="sessions"),
    path("settings/sessions/<int:pk>/end/", views_identity.session_end_view, name="session-end"),
    path(
        "settings/sessions/end-others/",
        views_identity.session_end_others_view,
        name="session-end-others",
    ),
    path("sso/login/", views_identity.sso_login_view, name="sso-login"),
    path("sso/return/", views_identity.sso_return_view, name="sso-return"),
    path("mentions/suggest/", views_mentions.mention_suggest_view, name="mention-suggest"),
    path("notifications/", views.notification_list_view, name="notifications"),
    path("notifications/read/", views.notification_read_view, name="notifications-read"),
    path("bookmarks/", views.bookmark_list_view, name="bookmarks"),
    path(
        "bookmarks/new/<int:content_type_id>/<int:object_id>/",
        views.bookmark_new_view,
        name="bookmark-new",
    ),
    path("bookmarks/<int:pk>/", views.bookmark_edit_view, name="bookmark-edit"),
    path("bookmarks/<int:pk>/delete/", views.bookmark_delete_view, name="bookmark-delete"),
    path("notifications/menu/", views.notification_menu_view, name="notification-menu"),
    path("notifications/count/", views.notification_count_view, name="notification-count"),
    path("u/unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
    path("i18n/language/", views.language_set_view, name="language"),
    path("staff/community/", views_club.community_settings_view, name="community-settings"),
    path("staff/community/invite/", views_club.membership_invite_view, name="invite"),
    # Under /u/: reachable by visitors of a private community.
    path("u/join/<str:token>/", views_club.membership_join_view, name="join"),
    path("u/application/", views_club.membership_application_view, name="application"),
    path("staff/letters/", views.letter_list_view, name="letter-list"),
    path("staff/summaries/", views.summary_figures_view, name="summary-figures"),
    path("staff/letters/new/", views.letter_create_view, name="letter-new"),
    path("staff/letters/<int:pk>/", views.letter_edit_view, name="letter-edit"),
    path("staff/letters/welcome/", views.welcome_letter_edit_view, name="welcome-letter"),
]
