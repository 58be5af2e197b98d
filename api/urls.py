from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("settings/api-tokens/", views.token_list_view, name="tokens"),
    path("settings/api-tokens/<int:pk>/revoke/", views.token_revoke_view, name="token-revoke"),
    path("settings/api-tokens/bots/", views.bot_create_view, name="bot-create"),
    path("api/v1/docs/", views.api_docs_view, name="docs"),
]
