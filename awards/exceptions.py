"""Errors of the awards app; each message is Chinese text shown to the user as it is."""


class AwardError(ValueError):
    """An award cycle, application, scoring, decision or payment step that the rules do not allow
    (nothing was changed)."""
