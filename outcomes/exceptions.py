from core.exceptions import PolicyError


class OutcomeError(PolicyError):
    """An outcome action refused by a rule; the message is for the user."""
