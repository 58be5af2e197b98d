from django.urls import path

from . import views, views_avatars, views_drafts

app_name = "uploads"

urlpatterns = [
    path("uploads/", views.upload_create_view, name="create"),
    path("uploads/new/", views.upload_new_view, name="new"),
    path("uploads/preview/", views.preview_view, name="preview"),
    path("settings/picture/", views_avatars.avatar_edit_view, name="avatar-edit"),
    path("settings/picture/remove/", views_avatars.avatar_remove_view, name="avatar-remove"),
    path("uploads/avatars/<slug:key>/<int:px>.webp", views_avatars.avatar_file_view, name="avatar"),
    path("uploads/image/", views.image_proxy_view, name="image-proxy"),
    path("uploads/<str:key>/thumb/<str:name>", views.upload_thumbnail_view, name="thumbnail"),
    path("uploads/<str:key>/<str:name>", views.upload_file_view, name="file"),
    path("drafts/", views_drafts.draft_list_view, name="drafts"),
    path("drafts/save/", views_drafts.draft_save_view, name="draft-save"),
    path("drafts/count/", views_drafts.draft_count_view, name="draft-count"),
    path("drafts/<int:pk>/", views_drafts.draft_open_view, name="draft-open"),
    path("drafts/<int:pk>/discard/", views_drafts.draft_discard_view, name="draft-discard"),
]
