from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every login made through a request (the login form passes it).

    `authenticate()` without a request (the test client's `client.login`, a management command) has no
    client address to lock, so it is left to the other backends instead of failing."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
