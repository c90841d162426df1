"""Errors of the projects app; each message is shown to the user as it is."""


class ProjectError(ValueError):
    """A filing, review, decision, filing or appointment step that the rules do not allow."""
