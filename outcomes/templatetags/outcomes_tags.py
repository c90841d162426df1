"""Hooks of the outcomes app in other apps' pages: the target table (term page, report form, evaluation,
panel grade form), the project's structured targets (project page), an award application's outcomes."""

from django import template

from .. import selectors
from ..models import ProjectTarget

register = template.Library()


@register.inclusion_tag("outcomes/partials/_target_table.html", takes_context=True)
def outcome_target_table(context, appointment, can_override=False):
    return {
        "appointment": appointment,
        "table": selectors.target_table(appointment),
        "can_override": can_override,
        "request": context.get("request"),
    }


@register.inclusion_tag("outcomes/partials/_summary.html")
def outcome_summary(appointment):
    """The term page's line on its outcomes: verified, and still waiting (which blocks 结题). One query."""
    from django.db.models import Count, Q

    from ..enums import PENDING_STATES, OutcomeState
    from ..models import Outcome

    counts = Outcome.objects.filter(appointment=appointment).aggregate(
        verified=Count("pk", filter=Q(state=OutcomeState.VERIFIED)),
        pending=Count("pk", filter=Q(state__in=PENDING_STATES)),
    )
    return {"appointment": appointment, **counts}


@register.inclusion_tag("outcomes/partials/_project_targets.html", takes_context=True)
def outcome_project_targets(context, project, can_edit=False):
    return {
        "project": project,
        "targets": ProjectTarget.objects.filter(project=project).select_related("kind"),
        "can_edit": can_edit,
    }


@register.inclusion_tag("outcomes/partials/_award_outcomes.html")
def outcome_award_outcomes(application, show_link=False):
    return {
        "application": application,
        "show_link": show_link,
        "attached": application.attached_outcomes.select_related("outcome__kind"),
    }
