from django.urls import path

from config.placeholder import placeholder_view

app_name = "ambassadors"

urlpatterns = [
    path("ambassadors/", placeholder_view, name="program"),
]
