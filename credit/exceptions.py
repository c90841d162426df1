class CreditError(ValueError):
    """A credit-record action the rules do not allow; the message is for the user."""


class CreditReasonRequired(CreditError):
    """Going ahead with a decision whose subjects have active negative records needs a reason."""
