from django.urls import path

from . import views

app_name = "uploads"

urlpatterns = [
    path("uploads/", views.upload_create_view, name="create"),
    path("uploads/new/", views.upload_new_view, name="new"),
    path("uploads/preview/", views.preview_view, name="preview"),
    path("uploads/image/", views.image_proxy_view, name="image-proxy"),
    path("uploads/<str:key>/thumb/<str:name>", views.upload_thumbnail_view, name="thumbnail"),
    path("uploads/<str:key>/<str:name>", views.upload_file_view, name="file"),
]
