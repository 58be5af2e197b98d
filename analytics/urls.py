from django.urls import path

from config.placeholder import placeholder_view

app_name = "analytics"

urlpatterns = [
    path("staff/analytics/", placeholder_view, name="dashboard"),
]
