from django.urls import include, path

from config.placeholder import placeholder_view

app_name = "forum"

urlpatterns = [
    path("questions/", placeholder_view, name="question-list"),
    path("faq/", placeholder_view, name="faq"),
    path("ideas/", include("forum.urls_ideas")),
    path("search/", placeholder_view, name="search"),
]
