from django.urls import path

from . import views

app_name = "subsidies"

urlpatterns = [
    path("budgets/", views.BudgetListView.as_view(), name="budget-list"),
    path("budgets/new/", views.BudgetEditView.as_view(), name="budget-create"),
    path("budgets/<int:year>/", views.BudgetDetailView.as_view(), name="budget-detail"),
    path(
        "budgets/<int:year>/commitments/export/",
        views.BudgetDetailView.as_export_view(),
        name="commitment-export",
    ),
    path("budgets/<int:year>/edit/", views.BudgetEditView.as_view(), name="budget-edit"),
    path(
        "commitments/<int:pk>/override/", views.CommitmentOverrideView.as_view(), name="commitment-override"
    ),
    path("payments/due/", views.PaymentDueListView.as_view(), name="payment-due"),
    path("payments/due/export/", views.PaymentDueListView.as_export_view(), name="payment-due-export"),
    path("payments/add-to-batch/", views.PaymentAddToBatchView.as_view(), name="payment-add-to-batch"),
    path("payments/<int:pk>/reverse/", views.PaymentReverseView.as_view(), name="payment-reverse"),
    path("subsidies/", views.SubsidyListView.as_view(), name="subsidy-list"),
    path("subsidies/export/", views.SubsidyListView.as_export_view(), name="subsidy-export"),
    path("subsidies/<int:pk>/", views.SubsidyDetailView.as_view(), name="subsidy-detail"),
    path(
        "subsidies/<int:pk>/suspension/",
        views.SubsidySuspensionDecideView.as_view(),
        name="subsidy-suspension-decide",
    ),
    path("mine/", views.MyAllowanceListView.as_view(), name="my-allowances"),
    path("enterprise/", views.EnterpriseMoneyView.as_view(), name="enterprise-money"),
    path("matching/overdue/", views.MatchingOverdueListView.as_view(), name="matching-overdue"),
    path(
        "matching/overdue/export/",
        views.MatchingOverdueListView.as_export_view(),
        name="matching-overdue-export",
    ),
    path("matching/<int:pk>/confirm/", views.MatchingConfirmView.as_view(), name="matching-confirm"),
    path("batches/", views.BatchListView.as_view(), name="batch-list"),
    path("batches/export/", views.BatchListView.as_export_view(), name="batch-list-export"),
    path("batches/<int:pk>/", views.BatchDetailView.as_view(), name="batch-detail"),
    path("batches/<int:pk>/export.xlsx", views.BatchExportView.as_view(), name="batch-export"),
    path("batches/<int:pk>/statement.pdf", views.BatchStatementView.as_view(), name="batch-statement"),
    path("batches/<int:pk>/add/", views.BatchAddView.as_view(), name="batch-add"),
    path("batches/<int:pk>/remove/", views.BatchRemoveView.as_view(), name="batch-remove"),
    path("batches/<int:pk>/submit/", views.BatchSubmitView.as_view(), name="batch-submit"),
    path("batches/<int:pk>/approve/", views.BatchApproveView.as_view(), name="batch-approve"),
    path("batches/<int:pk>/return/", views.BatchReturnView.as_view(), name="batch-return"),
    path("batches/<int:pk>/pay/", views.BatchPayView.as_view(), name="batch-pay"),
]
