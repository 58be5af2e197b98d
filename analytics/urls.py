from django.urls import path

from . import views

app_name = "analytics"

urlpatterns = [
    path("staff/analytics/", views.dashboard_view, name="dashboard"),
    path("staff/analytics/export/<slug:table>.csv", views.table_csv_view, name="table-csv"),
    path("staff/analytics/at-risk/", views.at_risk_list_view, name="at-risk"),
    path("staff/analytics/at-risk/write/", views.outreach_write_view, name="outreach-write"),
]
