from django.urls import path

from . import views

app_name = "experts"

urlpatterns = [
    path("nominations/", views.NominationListView.as_view(), name="nomination-list"),
    path("nominations/export/", views.NominationListView.as_export_view(), name="nomination-export"),
    path("nominations/new/", views.NominationCreateView.as_view(), name="nomination-create"),
    path("nominations/import/", views.NominationImportView.as_view(), name="nomination-import"),
    path(
        "nominations/import/template/",
        views.NominationImportTemplateView.as_view(),
        name="nomination-import-template",
    ),
    path("nominations/<int:pk>/", views.NominationDetailView.as_view(), name="nomination-detail"),
    path("nominations/<int:pk>/edit/", views.NominationUpdateView.as_view(), name="nomination-update"),
    path("nominations/<int:pk>/submit/", views.NominationSubmitView.as_view(), name="nomination-submit"),
    path("nominations/<int:pk>/admit/", views.NominationAdmitView.as_view(), name="nomination-admit"),
    path("nominations/<int:pk>/return/", views.NominationReturnView.as_view(), name="nomination-return"),
    path("nominations/<int:pk>/reject/", views.NominationRejectView.as_view(), name="nomination-reject"),
    path(
        "nominations/<int:pk>/approve-exception/",
        views.NominationApproveExceptionView.as_view(),
        name="nomination-approve-exception",
    ),
    path(
        "nominations/<int:pk>/refuse-exception/",
        views.NominationRefuseExceptionView.as_view(),
        name="nomination-refuse-exception",
    ),
    path("nominations/<int:pk>/letter/", views.NominationFileView.as_view(), name="nomination-letter"),
    path("pool/", views.ExpertListView.as_view(), name="expert-list"),
    path("pool/export/", views.ExpertListView.as_export_view(), name="expert-export"),
    path("experts/<int:pk>/", views.ExpertDetailView.as_view(), name="expert-detail"),
    path("experts/<int:pk>/files/<slug:field>/", views.ExpertFileView.as_view(), name="expert-file"),
    path("experts/<int:pk>/id-number/", views.ExpertIdNumberView.as_view(), name="expert-id-number"),
    path("experts/<int:pk>/phone/", views.ExpertPhoneView.as_view(), name="expert-phone"),
    path("me/", views.ExpertMeView.as_view(), name="expert-me"),
    path("me/edit/", views.ExpertProfileEditView.as_view(), name="expert-profile-edit"),
    path("changes/", views.ChangeRequestListView.as_view(), name="changerequest-list"),
    path("changes/export/", views.ChangeRequestListView.as_export_view(), name="changerequest-export"),
    path("changes/<int:pk>/decide/", views.ChangeRequestDecideView.as_view(), name="changerequest-decide"),
    path("institutions/", views.InstitutionListView.as_view(), name="institution-list"),
    path("institutions/export/", views.InstitutionListView.as_export_view(), name="institution-export"),
    path("institutions/new/", views.InstitutionEditView.as_view(), name="institution-create"),
    path("institutions/<int:pk>/edit/", views.InstitutionEditView.as_view(), name="institution-update"),
    path("invite/<uidb64>/<token>/", views.InviteConfirmView.as_view(), name="invite-confirm"),
]
