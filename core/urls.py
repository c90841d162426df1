from django.urls import path

from . import health, views

app_name = "core"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("healthz", health.healthz, name="healthz"),
    path("home/", views.HomeView.as_view(), name="home"),
    path("home/<slug:role>/", views.RoleHomeView.as_view(), name="role-home"),
    path("verify/", views.DocumentVerifyUploadView.as_view(), name="document-verify-upload"),
    path("verify/<str:token>/", views.DocumentVerifyView.as_view(), name="document-verify"),
    path("notifications/", views.NotificationListView.as_view(), name="notification-list"),
    path("audit/", views.AuditEventListView.as_view(), name="audit-list"),
    path("exports/<slug:job_id>/", views.ExportStatusView.as_view(), name="export-status"),
    path("exports/<slug:job_id>/download/", views.ExportDownloadView.as_view(), name="export-download"),
    path("audit/export/", views.AuditEventExportView.as_view(), name="audit-export"),
]
