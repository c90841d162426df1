from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="project-list"),
    path("export/", views.ProjectListView.as_export_view(), name="project-export"),
    path("new/<int:intent_id>/", views.ProjectCreateView.as_view(), name="project-create"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="project-detail"),
    path("<int:pk>/edit/", views.ProjectUpdateView.as_view(), name="project-update"),
    path("<int:pk>/do/<slug:action>/", views.ProjectActionView.as_view(), name="project-action"),
    path("<int:pk>/file/<slug:field>/", views.ProjectFileView.as_view(), name="project-file"),
    path("<int:pk>/letter/<slug:kind>/", views.LetterDownloadView.as_view(), name="project-letter"),
    path("rounds/", views.RoundListView.as_view(), name="round-list"),
    path("rounds/export/", views.RoundListView.as_export_view(), name="round-export"),
    path("rounds/new/", views.RoundCreateView.as_view(), name="round-create"),
    path("rounds/<int:pk>/", views.RoundDetailView.as_view(), name="round-detail"),
    path("rounds/<int:pk>/do/<slug:action>/", views.RoundActionView.as_view(), name="round-action"),
    path(
        "rounds/<int:pk>/letters/progress/",
        views.RoundLettersProgressView.as_view(),
        name="round-letters-progress",
    ),
    path("rounds/<int:pk>/results.<slug:fmt>", views.RoundResultsExportView.as_view(), name="round-results"),
    path("assignments/<int:pk>/swap/", views.AssignmentSwapView.as_view(), name="assignment-swap"),
    path("objections/<int:pk>/resolve/", views.ObjectionResolveView.as_view(), name="objection-resolve"),
    path("reviews/", views.ReviewListView.as_view(), name="review-list"),
    path("reviews/<int:pk>/", views.ReviewSheetView.as_view(), name="review-sheet"),
    path("reviews/<int:pk>/file/<slug:field>/", views.ReviewFileView.as_view(), name="review-file"),
    path("reviews/<int:pk>/conflict/", views.ReviewConflictView.as_view(), name="review-conflict"),
    path("filings/", views.FilingListView.as_view(), name="filing-list"),
    path("notice/", views.NoticeView.as_view(), name="notice"),
]
