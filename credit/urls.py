from django.urls import path

from . import views

app_name = "credit"

urlpatterns = [
    path("", views.RecordListView.as_view(), name="record-list"),
    path("mine/", views.MyRecordListView.as_view(), name="record-mine"),
    path("<int:pk>/", views.RecordDetailView.as_view(), name="record-detail"),
    path("<int:pk>/objection/", views.ObjectionFileView.as_view(), name="objection-file"),
    path("<int:pk>/notify/", views.RecordNotifyView.as_view(), name="record-notify"),
    path("<int:pk>/confirm/", views.RecordConfirmView.as_view(), name="record-confirm"),
    path("<int:pk>/dismiss/", views.RecordDismissView.as_view(), name="record-dismiss"),
    path("<int:pk>/repair/", views.RecordRepairView.as_view(), name="record-repair"),
    path("<int:pk>/revoke/", views.RecordRevokeView.as_view(), name="record-revoke"),
    path("objections/<int:pk>/resolve/", views.ObjectionResolveView.as_view(), name="objection-resolve"),
]
