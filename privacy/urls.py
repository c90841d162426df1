from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("me/", views.MyDataView.as_view(), name="my-data"),
    path("me/download.json", views.MyDataDownloadView.as_view(), name="my-data-download"),
]
