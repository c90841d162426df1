from django.urls import path

from . import views

app_name = "credit"

urlpatterns = [
    path("", views.RecordListView.as_view(), name="record-list"),
    path("mine/", views.MyRecordListView.as_view(), name="record-mine"),
    path("<int:pk>/", views.RecordDetailView.as_view(), name="record-detail"),
    path("<int:pk>/objection/", views.ObjectionFileView.as_view(), name="objection-file"),
    path("<int:pk>/<slug:action>/", views.RecordActionView.as_view(), name="record-action"),
    path("objections/<int:pk>/resolve/", views.ObjectionResolveView.as_view(), name="objection-resolve"),
]
