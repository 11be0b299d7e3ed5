"""The one place where a view learns who may see and change what.

Every staff view is wrapped in `staff_view`. Objects are always fetched
through `scoped(...)` so that a user of another organisation gets a 404,
never data, and a client viewer only ever reaches their own client.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _


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
                return refused(request, _("Ce compte n'appartient à aucune organisation."))
            if agency and membership.client_id:
                return refused(request, _("Réservé à l'équipe de l'agence : vos comptes rendus sont sous "
                                          "« Opérations »."))
            unsafe = request.method not in ("GET", "HEAD", "OPTIONS")
            if (edit or unsafe) and not membership.can_edit:
                return refused(request, _("Votre accès est en lecture seule."))
            if manage and not membership.can_manage:
                return refused(request, _("Réservé aux responsables de l'agence."))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def refused(request, reason: str):
    """A 403 a person can read (and no traceback in the log: a refusal is not an error)."""
    return render(request, "403.html", {"reason": reason}, status=403)


def get_scoped_or_404(queryset, **lookup):
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None
