"""A small OAuth 2.0 authorization server on loopback, and a stand-in for an e-mail service
provider's HTTP API, for the mailbox tests.

The authorization server answers the refresh-token grant (RFC 6749 §6) at /token and token
introspection (RFC 7662) at /introspect, which Dovecot's oauth2 password database calls; the
SMTP sink asks it directly. Tokens can be revoked, and the refresh token refused, to test what
the CM sees when the provider says no.
"""

import itertools
import json
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs

from .static_server import LoopbackServer


def _reply(handler, status: int, payload: dict) -> None:
    body = json.dumps(payload).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@dataclass
class Grant:
    form: dict


class AuthorizationServer(LoopbackServer):
    CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN = "ambassade-app", "app-secret", "refresh-cm-1"

    def __init__(self, user: str, expires_in: int = 3600):
        self.user, self.expires_in = user, expires_in
        self.grants: list[Grant] = []
        self.issued: set[str] = set()
        self.refuse_refresh = False
        self._counter = itertools.count(1)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the standard library's name
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if self.path == "/token":
                    server.grants.append(Grant(form))
                    good = (form.get("grant_type") == "refresh_token" and form.get("client_id") == server.CLIENT_ID
                            and form.get("client_secret") == server.CLIENT_SECRET
                            and form.get("refresh_token") == server.REFRESH_TOKEN and not server.refuse_refresh)
                    if not good:
                        return _reply(self, 400, {"error": "invalid_grant",
                                                  "error_description": "refresh token expired or revoked"})
                    token = f"access-{next(server._counter)}"
                    server.issued.add(token)
                    return _reply(self, 200, {"access_token": token, "token_type": "Bearer",
                                              "expires_in": server.expires_in})
                if self.path == "/introspect":
                    token = form.get("token", "")
                    if token in server.issued:
                        return _reply(self, 200, {"active": True, "username": server.user})
                    return _reply(self, 200, {"active": False})
                self.send_error(404)

            def log_message(self, *args):
                pass

        super().__init__(Handler)

    @property
    def token_url(self) -> str:
        return f"{self.root}/token"

    @property
    def introspection_url(self) -> str:
        return f"{self.root}/introspect"

    def valid(self, user: str, token: str) -> bool:
        return user == self.user and token in self.issued

    def revoke_all(self) -> None:
        self.issued.clear()


@dataclass
class EspCall:
    path: str
    headers: dict
    payload: dict


@dataclass
class EspApi(LoopbackServer):
    """Brevo's and Mailjet's send endpoints as anymail calls them, answering like the real ones."""

    calls: list[EspCall] = field(default_factory=list)
    status: int = 200

    def __post_init__(self):
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                payload = json.loads(self.rfile.read(length) or b"{}")
                api.calls.append(EspCall(self.path, {k.lower(): v for k, v in self.headers.items()}, payload))
                if api.status != 200:
                    return _reply(self, api.status, {"code": "unauthorized", "message": "Key not found"})
                if self.path.endswith("/smtp/email"):  # Brevo
                    return _reply(self, 201, {"messageId": f"<brevo-{len(api.calls)}@smtp-relay.example>"})
                messages = payload.get("Messages", [])  # Mailjet v3.1
                return _reply(self, 200, {"Messages": [
                    {"Status": "success", "To": [{"Email": to["Email"], "MessageID": 1000 + i,
                                                  "MessageUUID": f"uuid-{i}"} for to in m.get("To", [])]}
                    for i, m in enumerate(messages)]})

            def log_message(self, *args):
                pass

        super().__init__(Handler)
