from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="project-list"),
    path("export/", views.ProjectListView.as_export_view(), name="project-export"),
    path("new/<int:intent_id>/", views.ProjectCreateView.as_view(), name="project-create"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="project-detail"),
    path("<int:pk>/edit/", views.ProjectUpdateView.as_view(), name="project-update"),
    # the project page's workflow buttons, one view per action (projects.views.actions)
    path("<int:pk>/do/confirm/", views.ProjectConfirmView.as_view(), name="project-confirm"),
    path("<int:pk>/do/submit/", views.ProjectSubmitView.as_view(), name="project-submit"),
    path("<int:pk>/do/return/", views.ProjectReturnView.as_view(), name="project-return"),
    path("<int:pk>/do/accept/", views.ProjectAcceptView.as_view(), name="project-accept"),
    path("<int:pk>/do/decide/", views.ProjectDecideView.as_view(), name="project-decide"),
    path("<int:pk>/do/agreement/", views.ProjectAgreementView.as_view(), name="project-agreement"),
    path("<int:pk>/do/appoint/", views.ProjectAppointView.as_view(), name="project-appoint"),
    path("<int:pk>/file/<slug:field>/", views.ProjectFileView.as_view(), name="project-file"),
    path("<int:pk>/letter/<slug:kind>/", views.LetterDownloadView.as_view(), name="project-letter"),
    path("rounds/", views.RoundListView.as_view(), name="round-list"),
    path("rounds/export/", views.RoundListView.as_export_view(), name="round-export"),
    path("rounds/new/", views.RoundCreateView.as_view(), name="round-create"),
    path("rounds/<int:pk>/", views.RoundDetailView.as_view(), name="round-detail"),
    # the round page's buttons (projects.views.rounds)
    path("rounds/<int:pk>/do/assign/", views.RoundAssignView.as_view(), name="round-assign"),
    path("rounds/<int:pk>/do/open/", views.RoundOpenView.as_view(), name="round-open"),
    path("rounds/<int:pk>/do/close/", views.RoundCloseView.as_view(), name="round-close"),
    path("rounds/<int:pk>/do/decide/", views.RoundDecideView.as_view(), name="round-decide"),
    path("rounds/<int:pk>/do/letters/", views.RoundLettersView.as_view(), name="round-letters"),
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
