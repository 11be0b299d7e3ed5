"""The placement status machine: legal moves only, and every move recorded."""

import html

import pytest
from django.urls import reverse

from ambassade.campaigns.models import ActorKind, IllegalTransition
from ambassade.campaigns.status import TRANSITIONS, Status, can_move
from ambassade.logistics import ledger

pytestmark = pytest.mark.django_db


def test_it_refuses_an_illegal_move_and_records_nothing(world):
    with pytest.raises(IllegalTransition):
        ledger.move(world.placement, Status.PUBLISHED)
    world.placement.refresh_from_db()
    assert world.placement.status == Status.CANDIDATE
    assert world.placement.events.count() == 0


def test_it_records_who_moved_what_and_when(world):
    p = world.placement
    ledger.move(p, Status.SHORTLISTED, user=world.member)
    ledger.move(p, Status.PITCHED, user=world.member)
    ledger.move(p, Status.DECLINED, actor=ActorKind.REPLY, note="Je ne mange pas de yaourt")
    events = list(p.events.all())
    assert [(e.from_status, e.to_status) for e in events] == [
        (Status.CANDIDATE, Status.SHORTLISTED),
        (Status.SHORTLISTED, Status.PITCHED),
        (Status.PITCHED, Status.DECLINED),
    ]
    assert events[0].user == world.member and events[2].actor == ActorKind.REPLY
    p.refresh_from_db()
    assert p.reason == "Je ne mange pas de yaourt"


def test_it_allows_opt_out_from_anywhere_and_nothing_after():
    for status in Status:
        if status != Status.OPTED_OUT:
            assert can_move(status, Status.OPTED_OUT), status
    assert TRANSITIONS[Status.OPTED_OUT] == frozenset()
    assert not can_move(Status.PUBLISHED, Status.PITCHED)
    assert not can_move(Status.DECLINED, Status.ACCEPTED)


def test_it_refuses_an_illegal_move_from_the_board(client, world):
    client.force_login(world.member)
    url = reverse("placement_move", args=[world.placement.pk])
    response = client.post(url, {"status": Status.SHIPPED})
    assert response.status_code == 409
    assert "n'est pas permis" in html.unescape(response.content.decode())
    response = client.post(url, {"status": Status.SHORTLISTED}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and response["X-Ambassade-Result"] == "moved"
    world.placement.refresh_from_db()
    assert world.placement.status == Status.SHORTLISTED
    assert world.placement.events.get().user == world.member
