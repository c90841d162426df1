from django.urls import path

from . import views

app_name = "worklist"

urlpatterns = [
    path("matching/<int:pk>/remind/", views.MatchingRemindView.as_view(), name="matching-remind"),
]
