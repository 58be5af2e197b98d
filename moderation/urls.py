from django.urls import path

from config.placeholder import placeholder_view

app_name = "moderation"

urlpatterns = [
    path("rules/", placeholder_view, name="rules"),
    path("moderation/", placeholder_view, name="inbox"),
]
