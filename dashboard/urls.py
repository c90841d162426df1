from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="index"),
    path("report/<slug:fmt>/", views.AnnualReportView.as_view(), name="report"),
]
