"""The agency's real mailbox: OAuth 2.0 (XOAUTH2) for SMTP and IMAP, as Microsoft 365 and Google
Workspace want it, and sending through an e-mail service provider (Brevo, Mailjet) with anymail.

Real peers on loopback: a small OAuth 2.0 authorization server (refresh grant and RFC 7662
introspection), Dovecot with its oauth2 password database asking that server, an aiosmtpd sink
that only takes mail after AUTH XOAUTH2, and a stand-in for the provider's HTTP API.
"""

import os

import pytest
from django.urls import reverse

from ambassade.outreach.inbox import poll
from ambassade.outreach.models import (
    Auth,
    MailSettings,
    Message,
    MessageStatus,
    OAuthProvider,
    Security,
    Transport,
)
from ambassade.outreach.sender import send_due

from .mailservers import Dovecot, SmtpSink
from .oauth_server import AuthorizationServer, EspApi
from .test_outreach_mail import TUESDAY_10, eml, pitch, shortlisted, yogurt

USER = Dovecot.USER


@pytest.fixture
def authority(settings):
    # The token endpoint is on loopback: the deployment names it as allowed, as an intranet's would be.
    settings.FETCH_ALLOW_HOSTS, settings.FETCH_ALLOW_NETWORKS = (), (__import__("ipaddress").ip_network("127.0.0.1/32"),)
    with AuthorizationServer(USER) as server:
        os.environ["AMBASSADE_TEST_OAUTH_SECRET"] = server.CLIENT_SECRET
        os.environ["AMBASSADE_TEST_OAUTH_REFRESH"] = server.REFRESH_TOKEN
        yield server
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def oauth_smtp(authority):
    with SmtpSink(oauth=authority) as sink:
        yield sink


@pytest.fixture
def oauth_imap(authority):
    try:
        with Dovecot(oauth_introspection_url=authority.introspection_url) as server:
            yield server
    except FileNotFoundError:
        from .conftest import IN_CI

        if IN_CI:
            pytest.fail("Dovecot is missing: .ci/run installs dovecot-imapd")
        pytest.skip("Dovecot is not installed (apt-get install dovecot-imapd)")


def oauth_mailbox(world, authority, smtp, imap=None, **extra):
    fields = dict(
        organisation=world.org_a, from_name="Claire Morel", from_address="claire@plume.example",
        smtp_host="127.0.0.1", smtp_port=smtp.port, smtp_security=Security.NONE, smtp_username=USER,
        auth=Auth.OAUTH2, oauth_provider=OAuthProvider.OTHER, oauth_token_url=authority.token_url,
        oauth_client_id=authority.CLIENT_ID, oauth_client_secret_env="AMBASSADE_TEST_OAUTH_SECRET",
        oauth_refresh_token_env="AMBASSADE_TEST_OAUTH_REFRESH")
    if imap is not None:
        fields.update(imap_host="127.0.0.1", imap_port=imap.port, imap_security=Security.NONE, imap_username=USER)
    fields.update(extra)
    return MailSettings.objects.create(**fields)


def test_an_oauth_mailbox_sends_by_xoauth2_and_reads_replies_with_one_access_token(world, authority, oauth_smtp,
                                                                                    oauth_imap):
    sender = oauth_mailbox(world, authority, oauth_smtp, oauth_imap)
    placements = shortlisted(world, yogurt(world), ["Lea", "Julie"])
    pitch(placements)
    report = send_due(TUESDAY_10)
    assert report.sent == 2 and len(oauth_smtp.received) == 2
    assert {user for user, _token in oauth_smtp.handler.authenticated} == {USER}
    lea = Message.objects.get(placement=placements[0])
    oauth_imap.append(eml("reply_quoted.eml", **{"from": "lea@lea.example", "to": "claire@plume.example",
                                                  "in_reply_to": lea.message_id}))
    assert poll(sender).replies == 1  # Dovecot let us in with the bearer token, checked by introspection
    # The provider was asked once: the token is reused until a minute before it expires.
    assert len(authority.grants) == 1
    grant = authority.grants[0].form
    assert grant["grant_type"] == "refresh_token" and grant["client_secret"] == authority.CLIENT_SECRET
    sender.refresh_from_db()
    assert sender.imap_error == ""


def test_a_revoked_access_token_is_renewed_and_a_refused_refresh_token_says_what_to_do(world, authority,
                                                                                       oauth_smtp, oauth_imap):
    sender = oauth_mailbox(world, authority, oauth_smtp, oauth_imap)
    placements = shortlisted(world, yogurt(world), ["Lea", "Julie"])
    pitch(placements[:1])
    assert send_due(TUESDAY_10).sent == 1
    authority.revoke_all()  # the provider revoked the token before its end
    pitch(placements[1:])
    first = send_due(TUESDAY_10)
    # Refused at AUTH: nothing was handed over, the mail waits and is not marked failed.
    julie = Message.objects.get(placement=placements[1])
    assert first.retried == 1 and julie.status == MessageStatus.QUEUED and "jeton OAuth" in julie.error
    Message.objects.filter(pk=julie.pk).update(send_after=None)
    assert send_due(TUESDAY_10).sent == 1  # a new token was asked for
    assert len(authority.grants) == 2
    # Now the refresh token itself is refused (expired, revoked by an administrator).
    authority.refuse_refresh = True
    authority.revoke_all()
    from django.core.cache import cache

    cache.clear()
    with pytest.raises(Exception, match="refusé le jeton"):
        poll(sender)
    sender.refresh_from_db()
    assert "Le fournisseur OAuth a refusé le jeton (HTTP 400)" in sender.imap_error
    assert "refresh token expired or revoked" in sender.imap_error


def test_the_token_endpoint_goes_through_the_ssrf_guard(world, settings):
    settings.FETCH_ALLOW_HOSTS, settings.FETCH_ALLOW_NETWORKS = (), ()
    os.environ["AMBASSADE_TEST_OAUTH_REFRESH"] = "refresh"
    from ambassade.outreach import oauth

    sender = MailSettings(organisation=world.org_a, auth=Auth.OAUTH2, oauth_provider=OAuthProvider.OTHER,
                          oauth_client_id="x", oauth_refresh_token_env="AMBASSADE_TEST_OAUTH_REFRESH",
                          oauth_token_url="http://169.254.169.254/latest/meta-data/")
    with pytest.raises(oauth.OAuthError, match="injoignable.*refusée"):
        oauth.access_token(sender)
    assert oauth.token_url(MailSettings(oauth_provider=OAuthProvider.MICROSOFT, oauth_tenant="plume.fr")) == \
        "https://login.microsoftonline.com/plume.fr/oauth2/v2.0/token"


@pytest.fixture
def esp(settings):
    with EspApi() as api:
        settings.ESP_API_URLS = {"brevo": f"{api.root}/v3/", "mailjet": f"{api.root}/v3.1/"}
        os.environ["AMBASSADE_TEST_ESP_KEY"] = "brevo-key-123"
        os.environ["AMBASSADE_TEST_ESP_SECRET"] = "mailjet-secret"
        yield api


@pytest.mark.parametrize("transport", [Transport.BREVO, Transport.MAILJET])
def test_mail_can_leave_through_an_e_mail_service_provider_one_to_one_with_our_headers(world, esp, transport):
    MailSettings.objects.create(organisation=world.org_a, from_name="Claire Morel", from_address="claire@plume.example",
                                transport=transport, esp_api_key_env="AMBASSADE_TEST_ESP_KEY",
                                esp_secret_key_env="AMBASSADE_TEST_ESP_SECRET")
    placements = shortlisted(world, yogurt(world), ["Lea", "Julie"])
    pitch(placements)
    assert send_due(TUESDAY_10).sent == 2
    assert len(esp.calls) == 2  # one call, one recipient, per mail: never a group
    for call in esp.calls:
        if transport == Transport.BREVO:
            assert call.path == "/v3/smtp/email" and call.headers["api-key"] == "brevo-key-123"
            to, headers = call.payload["to"], call.payload["headers"]
            assert call.payload["replyTo"]["email"].startswith("claire+")
        else:
            assert call.path == "/v3.1/send" and call.headers["authorization"].startswith("Basic ")
            (message,), shared = call.payload["Messages"], call.payload["Globals"]
            to, headers = message["To"], shared["Headers"]
            assert shared["ReplyTo"]["Email"].startswith("claire+")
        assert len(to) == 1
        assert "/opposition/" in headers["List-Unsubscribe"]
    assert all(m.status == MessageStatus.SENT for m in Message.objects.all())


def test_a_provider_that_refuses_the_key_keeps_the_mail_queued_with_the_reason(world, esp):
    esp.status = 401
    MailSettings.objects.create(organisation=world.org_a, from_name="Claire", from_address="claire@plume.example",
                                transport=Transport.BREVO, esp_api_key_env="AMBASSADE_TEST_ESP_KEY")
    placements = shortlisted(world, yogurt(world), ["Lea"])
    pitch(placements)
    assert send_due(TUESDAY_10).retried == 1
    message = Message.objects.get()
    assert message.status == MessageStatus.QUEUED and "clé d'API refusée (HTTP 401)" in message.error


def test_the_mail_settings_page_asks_for_what_each_choice_needs(client, world):
    client.force_login(world.owner)
    page = client.get(reverse("mail_settings")).content.decode()
    for label in ("Connexion OAuth 2.0", "Envoi par", "Port SMTP", "Dossier IMAP lu"):
        assert label in page
    response = client.post(reverse("mail_settings"), {
        "from_name": "Claire", "from_address": "claire@plume.example", "transport": "mailjet",
        "smtp_port": 587, "smtp_security": "starttls", "imap_port": 993, "imap_security": "ssl", "imap_folder": "INBOX",
        "auth": "oauth2", "oauth_provider": "other", "daily_cap": 40, "send_from_hour": 9, "send_until_hour": 18,
        "oauth_refresh_token_env": "not a name"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"oauth_client_id", "oauth_token_url", "oauth_refresh_token_env", "esp_api_key_env",
                           "esp_secret_key_env"}
    assert not MailSettings.objects.exists()
