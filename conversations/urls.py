from django.urls import path

from . import views

app_name = "conversations"

urlpatterns = [
    path("messages/", views.inbox_view, name="inbox"),
    path("messages/new/", views.new_view, name="new"),
    path("messages/settings/", views.settings_view, name="settings"),
    path("messages/block/<str:username>/", views.block_view, name="block"),
    path("messages/<int:pk>/", views.conversation_view, name="conversation"),
    path("messages/<int:pk>/reply/", views.reply_view, name="reply"),
    path("messages/<int:pk>/archive/", views.archive_view, name="archive"),
    path("messages/<int:pk>/unarchive/", views.unarchive_view, name="unarchive"),
]
