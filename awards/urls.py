from django.urls import path

from . import views

app_name = "awards"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("cycles/new/", views.CycleCreateView.as_view(), name="cycle-create"),
    path("cycles/<int:pk>/", views.CycleDetailView.as_view(), name="cycle-detail"),
    path("cycles/<int:pk>/edit/", views.CycleUpdateView.as_view(), name="cycle-update"),
    path("cycles/<int:pk>/do/<slug:action>/", views.CycleActionView.as_view(), name="cycle-action"),
    path("cycles/<int:pk>/decision/", views.DecisionView.as_view(), name="decision"),
    path("cycles/<int:pk>/applications.xlsx", views.CycleExportView.as_view(), name="cycle-export"),
    path("cycles/<int:pk>/nominate/<int:project_id>/", views.NominateView.as_view(), name="nominate"),
    path(
        "cycles/<int:pk>/apply/<int:project_id>/",
        views.ApplicationCreateView.as_view(),
        name="application-create",
    ),
    path("applications/<int:pk>/", views.ApplicationDetailView.as_view(), name="application-detail"),
    path("applications/<int:pk>/edit/", views.ApplicationUpdateView.as_view(), name="application-update"),
    path(
        "applications/<int:pk>/do/<slug:action>/",
        views.ApplicationActionView.as_view(),
        name="application-action",
    ),
    path("applications/<int:pk>/evidence/", views.EvidenceFileView.as_view(), name="application-evidence"),
    path("prizes/<int:pk>/certificate.pdf", views.CertificateView.as_view(), name="certificate"),
    path("reviews/", views.ReviewListView.as_view(), name="review-list"),
    path("reviews/<int:pk>/", views.ReviewSheetView.as_view(), name="review-sheet"),
    path("reviews/<int:pk>/conflict/", views.ReviewConflictView.as_view(), name="review-conflict"),
    path("results/", views.ResultsView.as_view(), name="results"),
    path("results/<int:year>/", views.ResultsView.as_view(), name="results-year"),
]
