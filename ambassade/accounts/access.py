"""The one place where a view learns who may see and change what.

Every staff view is wrapped in `staff_view`. Objects are always fetched
through `scoped(...)` so that a user of another organisation gets a 404,
never data, and a client viewer only ever reaches their own client.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404


def staff_view(edit: bool = False, manage: bool = False, agency: bool = False):
    """Require a logged-in member; `edit` refuses client viewers on unsafe methods;
    `agency` keeps client viewers out entirely (the address book, imports)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = request.membership
            if not membership:
                raise PermissionDenied("Ce compte n'appartient à aucune organisation.")
            if agency and membership.client_id:
                raise PermissionDenied("Réservé à l'équipe de l'agence.")
            unsafe = request.method not in ("GET", "HEAD", "OPTIONS")
            if (edit or unsafe) and not membership.can_edit:
                raise PermissionDenied("Accès en lecture seule.")
            if manage and not membership.can_manage:
                raise PermissionDenied("Réservé aux responsables.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def get_scoped_or_404(queryset, **lookup):
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None
