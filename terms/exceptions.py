class TermsError(ValueError):
    """A service-term action that is not allowed now; the message is shown to the user as it is."""
