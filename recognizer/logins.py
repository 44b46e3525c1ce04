"""Login throttling: django-axes' backend, for logins made over HTTP."""
from axes.backends import AxesStandaloneBackend


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses logins for a locked-out username and address (see AXES_* in settings.py).

    A login without a request (a management command, the test client's login()) has no address
    to throttle, and is left to the next backend instead of being refused outright.
    """

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
