from django.urls import path

from . import views

app_name = "awards"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("cycles/new/", views.CycleCreateView.as_view(), name="cycle-create"),
    path("cycles/<int:pk>/", views.CycleDetailView.as_view(), name="cycle-detail"),
    path("cycles/<int:pk>/edit/", views.CycleUpdateView.as_view(), name="cycle-update"),
    path("cycles/<int:pk>/do/open/", views.CycleOpenView.as_view(), name="cycle-open"),
    path("cycles/<int:pk>/do/review/", views.CycleReviewView.as_view(), name="cycle-review"),
    path("cycles/<int:pk>/do/assign/", views.CycleAssignView.as_view(), name="cycle-assign"),
    path("cycles/<int:pk>/do/close/", views.CycleCloseView.as_view(), name="cycle-close"),
    path("cycles/<int:pk>/do/approve/", views.CycleApproveView.as_view(), name="cycle-approve"),
    path("cycles/<int:pk>/do/publish/", views.CyclePublishView.as_view(), name="cycle-publish"),
    path("cycles/<int:pk>/do/batch/", views.CycleBatchView.as_view(), name="cycle-batch"),
    path(
        "cycles/<int:pk>/do/certificates/", views.CycleCertificatesView.as_view(), name="cycle-certificates"
    ),
    path("cycles/<int:pk>/decision/", views.DecisionView.as_view(), name="decision"),
    path(
        "cycles/<int:pk>/decision/autofill/", views.DecisionAutofillView.as_view(), name="decision-autofill"
    ),
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
        "applications/<int:pk>/do/confirm/",
        views.ApplicationConfirmView.as_view(),
        name="application-confirm",
    ),
    path(
        "applications/<int:pk>/do/submit/", views.ApplicationSubmitView.as_view(), name="application-submit"
    ),
    path(
        "applications/<int:pk>/do/return/", views.ApplicationReturnView.as_view(), name="application-return"
    ),
    path("applications/<int:pk>/evidence/", views.EvidenceFileView.as_view(), name="application-evidence"),
    path("prizes/<int:pk>/certificate.pdf", views.CertificateView.as_view(), name="certificate"),
    path("reviews/", views.ReviewListView.as_view(), name="review-list"),
    path("reviews/<int:pk>/", views.ReviewSheetView.as_view(), name="review-sheet"),
    path("reviews/<int:pk>/conflict/", views.ReviewConflictView.as_view(), name="review-conflict"),
    path("results/", views.ResultsView.as_view(), name="results"),
    path("results/<int:year>/", views.ResultsView.as_view(), name="results-year"),
]
