"""Errors of the subsidies services; each message is Chinese text a user can read as it is."""


class SubsidyError(ValueError):
    """A write the money rules refuse (nothing was changed)."""


class BudgetExceeded(SubsidyError):
    """A commitment above the remaining budget without an explicit override reason."""

    def __init__(self, message: str, *, remaining):
        super().__init__(message)
        self.remaining = remaining


class PaymentError(SubsidyError):
    """A payment or batch operation that is not allowed (paid, unbalanced, …)."""
