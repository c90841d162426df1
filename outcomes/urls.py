from django.urls import path

from . import views

app_name = "outcomes"

urlpatterns = [
    path("", views.OutcomeListView.as_view(), name="outcome-list"),
    path("<int:pk>/", views.OutcomeDetailView.as_view(), name="outcome-detail"),
    path("<int:pk>/edit/", views.OutcomeUpdateView.as_view(), name="outcome-edit"),
    path("<int:pk>/evidence/", views.OutcomeEvidenceView.as_view(), name="outcome-evidence"),
    # the page's buttons, one view per OutcomeAction (views.ACTION_VIEWS): <pk>/<action>/, outcome-<action>
    *(
        path(f"<int:pk>/{view.action.value}/", view.as_view(), name=f"outcome-{view.action.value}")
        for view in views.ACTION_VIEWS
    ),
    path("term/<int:pk>/", views.AppointmentOutcomesView.as_view(), name="appointment-outcomes"),
    path("term/<int:pk>/new/", views.OutcomeCreateView.as_view(), name="outcome-create"),
    path(
        "term/<int:pk>/targets/<int:target_pk>/", views.TargetOverrideView.as_view(), name="target-override"
    ),
    path("project/<int:pk>/targets/", views.ProjectTargetsView.as_view(), name="project-targets"),
    path("award/<int:pk>/", views.AwardOutcomesView.as_view(), name="award-outcomes"),
    path("kinds/", views.KindListView.as_view(), name="kind-list"),
    path("kinds/new/", views.KindEditView.as_view(), name="kind-create"),
    path("kinds/<int:pk>/", views.KindEditView.as_view(), name="kind-edit"),
]
