from decimal import Decimal

from django import template

from projects.templatetags.project_tags import yuan

register = template.Library()
#: The amount filter of the project pages, under this library too: 3000000 → "3,000,000.00".
register.filter(yuan)


@register.inclusion_tag("subsidies/partials/_subsidy_suspension.html", takes_context=True)
def subsidy_suspension(context, appointment):
    """The appointment page's card on the project subsidy after early termination (SPEC §5): the
    instalments and their states, the commission's decision form while some are suspended, and the
    history (instalment state changes and decisions). Shown to commission staff only."""
    from subsidies.enums import InstalmentState
    from subsidies.forms import SuspensionDecisionForm
    from subsidies.models import ProjectSubsidy, SubsidyInstalmentTransition
    from subsidies.views.subsidies import SUSPENSION_FORM_SESSION_KEY

    request = context.get("request")
    user = getattr(request, "user", None)
    subsidy = None
    if user is not None and user.has_perm("subsidies.decide_suspension"):
        subsidy = ProjectSubsidy.objects.filter(appointment=appointment).first()
    if subsidy is None:
        return {"subsidy": None}
    instalments = list(subsidy.instalments.select_related("payment").order_by("number"))
    if not any(i.state != InstalmentState.SCHEDULED for i in instalments):
        return {"subsidy": None}
    typed = request.session.pop(SUSPENSION_FORM_SESSION_KEY, None) if request is not None else None
    form = None
    if any(i.state == InstalmentState.SUSPENDED for i in instalments):
        # what was typed before a refusal or invalid input, bound again: its errors at their fields
        data = typed["data"] if typed and typed.get("subsidy") == subsidy.pk else None
        form = SuspensionDecisionForm(data)
    return {
        "subsidy": subsidy,
        "instalments": instalments,
        "suspended_total": sum(
            (i.amount for i in instalments if i.state == InstalmentState.SUSPENDED), Decimal("0.00")
        ),
        "form": form,
        "history": SubsidyInstalmentTransition.objects.filter(subject__subsidy=subsidy)
        .select_related("actor", "subject")
        .order_by("created_at", "id"),
        "decisions": subsidy.suspension_decisions.select_related("decided_by"),
        "csrf_token": context.get("csrf_token"),
    }
