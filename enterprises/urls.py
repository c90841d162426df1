from django.urls import path

from . import views

app_name = "enterprises"

urlpatterns = [
    path("register/", views.EnterpriseRegisterView.as_view(), name="register"),
    path("", views.EnterpriseListView.as_view(), name="enterprise-list"),
    path("export/", views.EnterpriseListView.as_export_view(), name="enterprise-export"),
    path("mine/", views.MyEnterpriseView.as_view(), name="enterprise-mine"),
    path("<int:pk>/", views.EnterpriseDetailView.as_view(), name="enterprise-detail"),
    path("<int:pk>/edit/", views.EnterpriseUpdateView.as_view(), name="enterprise-update"),
    path("<int:pk>/members/add/", views.MemberAddView.as_view(), name="member-add"),
    path("<int:pk>/changping-evidence/", views.EnterpriseEvidenceView.as_view(), name="enterprise-evidence"),
    path("<int:pk>/<slug:action>/", views.EnterpriseActionView.as_view(), name="enterprise-action"),
    path("demands/", views.DemandListView.as_view(), name="demand-list"),
    path("demands/export/", views.DemandListView.as_export_view(), name="demand-export"),
    path("demands/new/", views.DemandCreateView.as_view(), name="demand-create"),
    path("demands/recommended/", views.DemandRecommendedView.as_view(), name="demand-recommended"),
    path("demands/<int:pk>/", views.DemandDetailView.as_view(), name="demand-detail"),
    path("demands/<int:pk>/edit/", views.DemandUpdateView.as_view(), name="demand-update"),
    path("demands/<int:pk>/<slug:action>/", views.DemandActionView.as_view(), name="demand-action"),
    path("experts/<int:pk>/", views.ExpertProfileView.as_view(), name="expert-profile"),
    path("intents/", views.IntentListView.as_view(), name="intent-list"),
    path("intents/export/", views.IntentListView.as_export_view(), name="intent-export"),
    path("intents/<int:pk>/", views.IntentDetailView.as_view(), name="intent-detail"),
    path("intents/<int:pk>/<slug:action>/", views.IntentActionView.as_view(), name="intent-action"),
    path("events/", views.EventListView.as_view(), name="event-list"),
    path("events/export/", views.EventListView.as_export_view(), name="event-export"),
    path("events/new/", views.EventCreateView.as_view(), name="event-create"),
    path("events/<int:pk>/", views.EventDetailView.as_view(), name="event-detail"),
    path("events/<int:pk>/<slug:action>/", views.EventActionView.as_view(), name="event-action"),
    path("funnel/", views.FunnelView.as_view(), name="funnel"),
]
