class RoleError(ValueError):
    """A role grant that the rules forbid (e.g. two of the three administrator roles)."""
