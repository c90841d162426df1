from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View

from accounts.enums import Role
from core.exceptions import PolicyError
from core.http import client_ip, local_next
from core.views import RoleRequiredMixin

from . import services


class MatchingRemindView(RoleRequiredMixin, View):
    """催办: the commission reminds the enterprise to confirm an overdue matching allowance month."""

    roles = frozenset({Role.COMMISSION})

    def post(self, request, pk):
        from subsidies.models import AllowancePayment

        allowance = get_object_or_404(
            AllowancePayment.objects.select_related("appointment__expert", "appointment__enterprise"), pk=pk
        )
        try:
            sent = services.matching_remind(
                allowance=allowance, by=request.user, ip_address=client_ip(request)
            )
        except PolicyError as error:
            messages.error(request, str(error))
        else:
            if sent:
                messages.success(
                    request,
                    _("已催办 %(enterprise)s 确认配套生活补助。")
                    % {"enterprise": allowance.appointment.enterprise.name},
                )
            else:
                messages.info(request, _("今天已经催办过，企业已收到提醒。"))
        if back := local_next(request):
            return HttpResponseRedirect(back)  # the overdue list it was sent from
        return redirect("core:role-home", Role.COMMISSION.value)
