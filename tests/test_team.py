"""The agency runs without /admin: clients, team members and client viewers, invited by a one-time link."""

import re

from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client as Browser
from django.urls import reverse

from ambassade.accounts.models import Membership, Role
from ambassade.campaigns.models import Client


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/invitation/\S+/)", message.body).group(1)


def test_an_owner_invites_a_cm_who_sets_a_password_once_and_works(client, world):
    client.force_login(world.owner)
    response = client.post(reverse("team"), {"action": "invite", "email": "Nina@Plume.example", "first_name": "Nina",
                                             "last_name": "Roux", "role": Role.MEMBER})
    assert response.status_code == 302
    (invite,) = mail.outbox
    assert invite.to == ["nina@plume.example"] and "Agence A" in invite.subject
    path = _link(invite)
    newcomer = Browser()
    assert "choisissez votre mot de passe" in newcomer.get(path).content.decode()
    newcomer.post(path, {"new_password1": "un-long-mot-de-passe-2026", "new_password2": "un-long-mot-de-passe-2026"})
    assert newcomer.get(reverse("operation_list")).status_code == 200  # logged in, in Agence A
    nina = Membership.objects.get(user__email="nina@plume.example")
    assert nina.organisation == world.org_a and nina.role == Role.MEMBER
    assert Browser().get(path).status_code == 400  # one time
    page = client.get(reverse("team")).content.decode()
    assert "Nina Roux" in page and "nina@plume.example" in page


def test_a_client_viewer_is_invited_for_one_client_and_reads_only_its_reports(client, world):
    client.force_login(world.owner)
    refused = client.post(reverse("team"), {"action": "invite", "email": "dir@delacour.example", "first_name": "Anne",
                                            "role": Role.CLIENT_VIEWER})
    assert "lequel ?" in refused.content.decode() and not mail.outbox
    client.post(reverse("team"), {"action": "invite", "email": "dir@delacour.example", "first_name": "Anne",
                                  "role": Role.CLIENT_VIEWER, "client": world.client.pk})
    anne = Membership.objects.get(user__email="dir@delacour.example")
    assert anne.client == world.client and not anne.can_edit


def test_roles_are_guarded_nobody_removes_themselves_and_the_last_owner_stays(client, world):
    manager = Membership.objects.get(user=world.member)
    manager.role = Role.MANAGER
    manager.save()
    client.force_login(world.member)
    form = {"action": "invite", "email": "x@plume.example", "first_name": "X", "role": Role.OWNER}
    assert "Sélectionnez un choix valide" in client.post(reverse("team"), form).content.decode()
    owner = Membership.objects.get(user=world.owner)
    client.post(reverse("team"), {"action": "remove", "member": owner.pk})
    assert Membership.objects.filter(pk=owner.pk).exists()  # a manager cannot remove an owner
    client.post(reverse("team"), {"action": "remove", "member": manager.pk})
    assert Membership.objects.filter(pk=manager.pk).exists()  # nor themselves
    client.force_login(world.owner)
    client.post(reverse("team"), {"action": "remove", "member": manager.pk})
    assert not Membership.objects.filter(pk=manager.pk).exists()
    assert not get_user_model().objects.get(pk=world.member.pk).is_active
    client.post(reverse("team"), {"action": "role", "member": owner.pk, "role": Role.MEMBER})
    assert Membership.objects.get(pk=owner.pk).role == Role.OWNER  # the last owner stays an owner
    # The page is for managers of this agency only.
    viewer = Browser()
    viewer.force_login(world.viewer)
    assert viewer.get(reverse("team")).status_code == 403
    outsider = Browser()
    outsider.force_login(world.outsider)
    assert outsider.post(reverse("team"), {"action": "remove", "member": owner.pk}).status_code == 404


def test_a_cm_creates_a_client_without_the_admin(client, world):
    client.force_login(world.member)
    client.post(reverse("clients"), {"name": "Biscuiterie Nantaise"})
    assert Client.objects.filter(organisation=world.org_a, name="Biscuiterie Nantaise").exists()
    again = client.post(reverse("clients"), {"name": "biscuiterie nantaise"}).content.decode()
    assert "existe déjà" in again
    assert "Biscuiterie Nantaise" not in Browser().get(reverse("clients")).content.decode()
