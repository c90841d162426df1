from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import ListView, TemplateView, View

from accounts.enums import Role

from .navigation import panels_for


class IndexView(TemplateView):
    """Public front page: what the programme is, and where to log in."""

    template_name = "core/index.html"

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("core:home")
        return super().get(request, *args, **kwargs)


class HomeView(LoginRequiredMixin, View):
    """Send a user to the landing page of their first role."""

    def get(self, request):
        role = request.user.primary_role
        if role is None:
            return TemplateView.as_view(template_name="core/no_role.html")(request)
        return redirect(reverse("core:role-home", args=[role]))


class RoleHomeView(LoginRequiredMixin, TemplateView):
    """The landing page of one role the user holds; a role they do not hold is a 404."""

    template_name = "core/role_home.html"

    def get_context_data(self, **kwargs):
        role = kwargs["role"]
        if role not in Role.values or not self.request.user.has_role(role):
            raise Http404
        ctx = super().get_context_data(**kwargs)
        ctx["role"] = Role(role)
        ctx["panels"] = panels_for(self.request.user, role)
        ctx["recent_notifications"] = self.request.user.notifications.all()[:5]
        return ctx


class NotificationListView(LoginRequiredMixin, ListView):
    template_name = "core/notification_list.html"
    context_object_name = "notifications"
    paginate_by = 20

    def get_queryset(self):
        return self.request.user.notifications.all()

    def post(self, request):
        request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("core:notification-list")


class DocumentVerifyView(TemplateView):
    """Public: confirms a document is genuine without showing personal data; unknown token → 404 page."""

    template_name = "core/document_verify.html"

    def get(self, request, *args, **kwargs):
        from .models import IssuedDocument

        document = IssuedDocument.objects.filter(token=kwargs["token"]).first()
        response = self.render_to_response({"document": document})
        if document is None:
            response.status_code = 404
        return response
