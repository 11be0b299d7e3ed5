from django.utils.functional import SimpleLazyObject

from .models import Membership


def _membership(request):
    user = request.user
    if not user.is_authenticated:
        return None
    return Membership.objects.select_related("organisation", "client").filter(user=user).first()


class MembershipMiddleware:
    """Puts the user's membership (organisation and role) on the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = SimpleLazyObject(lambda: _membership(request))
        return self.get_response(request)
