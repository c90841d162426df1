class NominationError(ValueError):
    """A nomination action the rules do not allow; the message is shown to the user as it is."""


class ImportFileError(ValueError):
    """An .xlsx import file that cannot be read at all (wrong columns, empty, too many rows)."""
