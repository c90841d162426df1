from django.urls import path

from . import views

app_name = "terms"

urlpatterns = [
    path("", views.AppointmentListView.as_view(), name="appointment-list"),
    path("export/", views.AppointmentListView.as_export_view(), name="appointment-export"),
    path("<int:pk>/", views.AppointmentDetailView.as_view(), name="appointment-detail"),
    path("<int:pk>/terminate/", views.AppointmentTerminateView.as_view(), name="appointment-terminate"),
    path("<int:pk>/extension/", views.ExtensionCreateView.as_view(), name="extension-create"),
    path("extension/<int:pk>/decide/", views.ExtensionDecideView.as_view(), name="extension-decide"),
    path("extension/<int:pk>/evidence/", views.ExtensionEvidenceView.as_view(), name="extension-evidence"),
    path("<int:pk>/comanagement/", views.CoManagementCreateView.as_view(), name="comanagement-create"),
    path("<int:pk>/contacts/", views.ContactCreateView.as_view(), name="contact-create"),
    path(
        "<int:pk>/contacts/<int:contact_pk>/edit/", views.ContactUpdateView.as_view(), name="contact-update"
    ),
    path(
        "<int:pk>/comanagement/<int:record_pk>/done/",
        views.FollowUpDoneView.as_view(),
        name="comanagement-follow-up-done",
    ),
    path(
        "<int:pk>/contacts/<int:contact_pk>/delete/", views.ContactDeleteView.as_view(), name="contact-delete"
    ),
    path("<int:pk>/support/<slug:kind>/", views.SupportCreateView.as_view(), name="support-create"),
    path("support/", views.SupportListView.as_view(), name="support-list"),
    path("support/export/", views.SupportListView.as_export_view(), name="support-export"),
    path("support/<int:pk>/", views.SupportDetailView.as_view(), name="support-detail"),
    path("support/<int:pk>/withdraw/", views.SupportWithdrawView.as_view(), name="support-withdraw"),
    path("support/<int:pk>/evidence/", views.SupportEvidenceView.as_view(), name="support-evidence"),
    path("<int:pk>/report/", views.ReportEditView.as_view(), name="report-edit"),
    path("<int:pk>/report/attachment/", views.ReportAttachmentView.as_view(), name="report-attachment"),
    # the report's steps on the appointment page, one view per action (terms.views.reports)
    path("<int:pk>/report/submit/", views.ReportSubmitView.as_view(), name="report-submit"),
    path("<int:pk>/report/confirm/", views.ReportConfirmView.as_view(), name="report-confirm"),
    path("<int:pk>/report/return/", views.ReportReturnView.as_view(), name="report-return"),
    path("<int:pk>/report/accept/", views.ReportAcceptView.as_view(), name="report-accept"),
    path("<int:pk>/evaluation/new/", views.EvaluationCreateView.as_view(), name="evaluation-create"),
    path("evaluation/<int:pk>/", views.EvaluationDetailView.as_view(), name="evaluation-detail"),
    path(
        "evaluation/<int:pk>/members/", views.EvaluationMemberAddView.as_view(), name="evaluation-member-add"
    ),
    path("evaluation/<int:pk>/open/", views.EvaluationOpenView.as_view(), name="evaluation-open"),
    path("evaluation/<int:pk>/finalise/", views.EvaluationFinaliseView.as_view(), name="evaluation-finalise"),
    path("panel/", views.PanelListView.as_view(), name="panel-list"),
    path("panel/<int:pk>/", views.PanelGradeView.as_view(), name="panel-grade"),
    path("panel/<int:pk>/conflict/", views.PanelConflictView.as_view(), name="panel-conflict"),
    path("<int:pk>/certificate/", views.CertificateIssueView.as_view(), name="certificate-issue"),
    path("<int:pk>/documents/<slug:kind>/", views.DocumentDownloadView.as_view(), name="document-download"),
]
