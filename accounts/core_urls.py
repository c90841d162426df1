"""URLs of the `core` namespace whose views know roles (accounts/core_views.py); config/urls.py adds them to
core.urls's patterns under the one `core` namespace, so their names stay `core:home`, `core:audit-list`…"""

from django.urls import path

from . import core_views as views

urlpatterns = [
    path("home/", views.HomeView.as_view(), name="home"),
    path("home/<slug:role>/", views.RoleHomeView.as_view(), name="role-home"),
    path("audit/", views.AuditEventListView.as_view(), name="audit-list"),
    path("audit/export/", views.AuditEventExportView.as_view(), name="audit-export"),
]
