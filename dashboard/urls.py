from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="index"),
    path("report/<slug:fmt>/", views.AnnualReportView.as_view(), name="report"),
    path("reports/", views.ReportListView.as_view(), name="report-list"),
    path("reports/new/", views.ReportCreateView.as_view(), name="report-create"),
    path("reports/<int:pk>/", views.ReportEditView.as_view(), name="report-edit"),
    path("reports/<int:pk>/preview/", views.ReportPreviewView.as_view(), name="report-preview"),
    path("reports/<int:pk>/download/<slug:fmt>/", views.ReportDownloadView.as_view(), name="report-download"),
]
