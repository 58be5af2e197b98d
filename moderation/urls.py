from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    # Rules and the other versioned pages.
    path("rules/", views.document_view, name="rules"),
    path("rules/accept/", views.rules_accept_view, name="rules-accept"),
    path("rules/versions/", views.document_versions_view, name="rules-versions"),
    path("rules/versions/<int:number>/", views.document_version_view, name="rules-version"),
    path("rules/diff/", views.document_diff_view, name="rules-diff"),
    path("rules/publish/", views.document_publish_view, name="rules-publish"),
    path("pages/<slug:slug>/", views.document_view, name="page"),
    path("pages/<slug:slug>/versions/", views.document_versions_view, name="page-versions"),
    path(
        "pages/<slug:slug>/versions/<int:number>/", views.document_version_view, name="page-version"
    ),
    path("pages/<slug:slug>/diff/", views.document_diff_view, name="page-diff"),
    path("pages/<slug:slug>/publish/", views.document_publish_view, name="page-publish"),
    # Members flag anything registered.
    path("moderation/flag/<int:content_type_id>/<int:object_id>/", views.flag_view, name="flag"),
    path("moderation/appeal/<int:entry_id>/", views.appeal_view, name="appeal"),
    # Moderators.
    path("moderation/", views.inbox_view, name="inbox"),
    path("moderation/items/<int:pk>/claim/", views.item_claim_view, name="item-claim"),
    path("moderation/items/<int:pk>/approve/", views.item_approve_view, name="item-approve"),
    path("moderation/items/<int:pk>/reject/", views.item_reject_view, name="item-reject"),
    path("moderation/items/bulk/", views.bulk_decide_view, name="items-bulk"),
    path(
        "moderation/content/<int:content_type_id>/<int:object_id>/",
        views.content_go_view,
        name="content-go",
    ),
    path(
        "moderation/content/<int:content_type_id>/<int:object_id>/hide/",
        views.content_hide_view,
        name="content-hide",
    ),
    path(
        "moderation/content/<int:content_type_id>/<int:object_id>/restore/",
        views.content_restore_view,
        name="content-restore",
    ),
    path("moderation/members/id/<int:member_id>/", views.member_by_id_view, name="member-by-id"),
    path("moderation/members/<str:username>/", views.member_moderation_view, name="member"),
    path("moderation/sanctions/<int:pk>/lift/", views.sanction_lift_view, name="sanction-lift"),
    # Staff.
    path("moderation/log/", views.audit_log_view, name="log"),
    path("moderation/blocked-words/", views.blocked_words_view, name="blocked-words"),
    path(
        "moderation/blocked-words/<int:pk>/delete/",
        views.blocked_word_delete_view,
        name="blocked-word-delete",
    ),
]
