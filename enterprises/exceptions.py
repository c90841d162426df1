"""Errors of the enterprises app; each message is shown to the user as it is."""


class EnterpriseError(ValueError):
    """A registration, verification, demand or intent step that the rules do not allow."""
