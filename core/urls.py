from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("home/", views.HomeView.as_view(), name="home"),
    path("home/<slug:role>/", views.RoleHomeView.as_view(), name="role-home"),
    path("verify/<str:token>/", views.DocumentVerifyView.as_view(), name="document-verify"),
    path("notifications/", views.NotificationListView.as_view(), name="notification-list"),
    path("audit/", views.AuditEventListView.as_view(), name="audit-list"),
    path("audit/export/", views.AuditEventExportView.as_view(), name="audit-export"),
]
