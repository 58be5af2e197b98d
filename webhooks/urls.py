from django.urls import path

from . import views

app_name = "webhooks"

urlpatterns = [
    path("staff/webhooks/", views.endpoint_list_view, name="endpoint-list"),
    path("staff/webhooks/new/", views.endpoint_create_view, name="endpoint-create"),
    path("staff/webhooks/<int:pk>/", views.endpoint_detail_view, name="endpoint-detail"),
    path("staff/webhooks/<int:pk>/rotate/", views.endpoint_rotate_view, name="endpoint-rotate"),
    path("staff/webhooks/<int:pk>/enable/", views.endpoint_enable_view, name="endpoint-enable"),
    path("staff/webhooks/<int:pk>/disable/", views.endpoint_disable_view, name="endpoint-disable"),
    path("staff/webhooks/<int:pk>/ping/", views.endpoint_ping_view, name="endpoint-ping"),
    path("staff/webhooks/<int:pk>/delete/", views.endpoint_delete_view, name="endpoint-delete"),
    path("staff/webhooks/deliveries/", views.delivery_list_view, name="delivery-list"),
    path("staff/webhooks/deliveries/<int:pk>/", views.delivery_detail_view, name="delivery-detail"),
    path(
        "staff/webhooks/deliveries/<int:pk>/redeliver/",
        views.delivery_redeliver_view,
        name="delivery-redeliver",
    ),
    path("staff/widget/", views.embed_origins_view, name="embed-origins"),
    path(
        "staff/widget/<int:pk>/delete/",
        views.embed_origin_delete_view,
        name="embed-origin-delete",
    ),
    path("embed/widget/", views.widget_view, name="widget"),
]
