"""The agency runs itself without /admin: its team (invitations, roles, removal) and its clients.

An invitation is a one-time link to choose a password (Django's password-reset token: it dies as
soon as the password is set, and after PASSWORD_RESET_TIMEOUT). A person belongs to one
organisation; only an owner makes owners, nobody removes themselves, and the last owner stays.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ambassade.accounts.access import get_scoped_or_404, staff_view
from ambassade.accounts.models import Membership, Role
from ambassade.campaigns.models import Client


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Adresse e-mail"))
    first_name = forms.CharField(label=gettext_lazy("Prénom"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Nom"), max_length=150, required=False)
    role = forms.ChoiceField(label=gettext_lazy("Rôle"), choices=Role.choices, initial=Role.MEMBER)
    client = forms.ModelChoiceField(label=gettext_lazy("Client (pour un accès client en lecture seule)"),
                                    queryset=None, required=False)

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership
        self.fields["client"].queryset = Client.objects.for_membership(membership)
        if membership.role != Role.OWNER:  # only an owner makes owners
            self.fields["role"].choices = [c for c in Role.choices if c[0] != Role.OWNER]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Cette adresse a déjà un compte Ambassade."))
        return email

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.CLIENT_VIEWER and not data.get("client"):
            self.add_error("client", _("Un accès client voit les comptes rendus d'un client : lequel ?"))
        if data.get("role") != Role.CLIENT_VIEWER:
            data["client"] = None
        return data


class ClientForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nom du client"), max_length=200)


def invitation_url(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return settings.BASE_URL.rstrip("/") + reverse("invitation", args=[uid, default_token_generator.make_token(user)])


def _invite(form, membership) -> None:
    data = form.cleaned_data
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username=data["email"], email=data["email"], first_name=data["first_name"],
            last_name=data.get("last_name", ""))
        user.set_unusable_password()
        user.save(update_fields=["password"])
        Membership.objects.create(user=user, organisation=membership.organisation, role=data["role"],
                                  client=data.get("client"))
    inviter = membership.user.get_full_name() or membership.user.username
    send_mail(
        _("%(who)s vous invite sur Ambassade (%(org)s)") % {"who": inviter, "org": membership.organisation.name},
        _("Bonjour %(name)s,\n\n%(who)s vous donne accès à Ambassade pour %(org)s.\nChoisissez votre mot de passe "
          "ici (le lien ne sert qu'une fois et expire dans trois jours) :\n%(url)s\n\nVotre identifiant : "
          "%(login)s\n") % {"name": data["first_name"], "who": inviter, "org": membership.organisation.name,
                            "url": invitation_url(user), "login": user.username},
        settings.DEFAULT_FROM_EMAIL, [user.email])


def _members(organisation):
    return Membership.objects.filter(organisation=organisation).select_related("user", "client").order_by(
        "role", "user__first_name", "user__username")


@staff_view(manage=True, agency=True)
def team(request):
    membership = request.membership
    form = InviteForm(request.POST or None, membership=membership)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "invite" and form.is_valid():
            _invite(form, membership)
            messages.success(request, _("Invitation envoyée à %(email)s.") % {"email": form.cleaned_data["email"]})
            return redirect("team")
        if action in ("role", "remove"):
            other = get_scoped_or_404(Membership.objects.filter(organisation=membership.organisation),
                                      pk=request.POST.get("member") or 0)
            error = _change(membership, other, action, request.POST.get("role", ""))
            if error:
                messages.error(request, error)
            else:
                messages.success(request, _("C'est fait."))
            return redirect("team")
    return render(request, "dashboard/team.html", {"form": form, "members": _members(membership.organisation)})


def _change(me, other, action: str, role: str) -> str:
    """'' when done, else why not."""
    if other.pk == me.pk:
        return _("Vous ne pouvez pas changer votre propre accès : demandez à un autre responsable.")
    owners = Membership.objects.filter(organisation=me.organisation, role=Role.OWNER)
    if other.role == Role.OWNER and me.role != Role.OWNER:
        return _("Seul un propriétaire change l'accès d'un propriétaire.")
    if other.role == Role.OWNER and owners.count() == 1:
        return _("C'est le dernier propriétaire : nommez-en un autre d'abord.")
    if action == "remove":
        with transaction.atomic():
            user = other.user
            other.delete()
            user.is_active = False  # their sessions end; the account stays for the history it signed
            user.save(update_fields=["is_active"])
        return ""
    if role not in Role.values or role == Role.CLIENT_VIEWER or (role == Role.OWNER and me.role != Role.OWNER):
        return _("Ce rôle n'est pas possible ici.")
    if other.role == Role.CLIENT_VIEWER:
        return _("Un accès client reste un accès client : invitez la personne comme membre de l'équipe.")
    other.role = role
    other.save(update_fields=["role"])
    return ""


def invitation(request, uidb64, token):
    """The invited person chooses a password; the link works once."""
    try:
        user = get_user_model().objects.get(pk=urlsafe_base64_decode(uidb64).decode(), is_active=True)
    except (ValueError, TypeError, OverflowError, get_user_model().DoesNotExist):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "dashboard/invitation.html", {"invalid": True}, status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Bienvenue ! Votre mot de passe est enregistré."))
        return redirect("dashboard")
    return render(request, "dashboard/invitation.html", {"form": form, "person": user})


@staff_view(agency=True)
def clients(request):
    form = ClientForm(request.POST or None)
    if request.method == "POST":
        if not request.membership.can_edit:
            return redirect("clients")
        if form.is_valid():
            name = form.cleaned_data["name"].strip()
            if Client.objects.filter(organisation=request.membership.organisation, name__iexact=name).exists():
                form.add_error("name", _("Ce client existe déjà."))
            else:
                Client.objects.create(organisation=request.membership.organisation, name=name)
                messages.success(request, _("Client créé : créez-lui une opération, ou invitez quelqu'un de chez lui "
                                            "à lire ses comptes rendus."))
                return redirect("clients")
    listing = Client.objects.for_membership(request.membership).order_by("name")
    return render(request, "dashboard/clients.html", {"form": form, "clients": listing})
