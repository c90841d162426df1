"""Core's pages. The `core` namespace also holds the role-aware pages that accounts serves (the landing
pages, the audit log: accounts/core_urls.py); config/urls.py joins the two lists under `core`."""

from django.urls import path

from . import health, views

app_name = "core"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("healthz", health.healthz, name="healthz"),
    path("verify/", views.DocumentVerifyUploadView.as_view(), name="document-verify-upload"),
    path("verify/<str:token>/", views.DocumentVerifyView.as_view(), name="document-verify"),
    path("notifications/", views.NotificationListView.as_view(), name="notification-list"),
    path("exports/<slug:job_id>/", views.ExportStatusView.as_view(), name="export-status"),
    path("exports/<slug:job_id>/download/", views.ExportDownloadView.as_view(), name="export-download"),
]
