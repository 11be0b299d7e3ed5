from axes.backends import AxesStandaloneBackend


class LoginThrottle(AxesStandaloneBackend):
    """django-axes' lockout check, for logins that come with a request (the login page).

    An authentication without a request (a management command, a test's
    `client.login`) is not a web login an attacker can repeat: axes would refuse
    it outright; here it is left to the next backend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
