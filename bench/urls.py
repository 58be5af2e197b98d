from django.urls import path

from .views import floor_view

urlpatterns = [path("_bench/floor/", floor_view, name="bench-floor")]
