"""Real mail servers on loopback for the tests: an SMTP sink (aiosmtpd) and Dovecot (IMAP).

Dovecot runs from Debian's package in a temporary directory with its own
configuration, a passwd-file user and a high port; it refuses to run its
login process as root, so it uses the `dovecot`/`dovenull` users and keeps
mail as `nobody`.
"""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from base64 import b64decode
from dataclasses import dataclass, field
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Received:
    envelope_from: str
    recipients: list[str]
    data: bytes

    @property
    def message(self):
        return message_from_bytes(self.data, policy=policy.default)


@dataclass
class SinkHandler:
    """Keeps every message; can answer RCPT or DATA with a chosen error, or stall, to test the sender."""

    received: list[Received] = field(default_factory=list)
    rcpt_reply: str | None = None  # e.g. "550 5.1.1 No such user"
    data_reply: str | None = None  # e.g. "451 4.3.0 Try again later"
    ehlo_delay: float = 0.0
    oauth: object = None  # an AuthorizationServer: then mail is only taken after AUTH XOAUTH2
    authenticated: list = field(default_factory=list)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        if self.ehlo_delay:
            import asyncio

            await asyncio.sleep(self.ehlo_delay)
        session.host_name = hostname
        return responses

    async def auth_XOAUTH2(self, server, args):
        """XOAUTH2 as Google and Microsoft speak it, checked against the test's authorization server."""
        from aiosmtpd.smtp import AuthResult

        if self.oauth is None or len(args) != 2:
            return AuthResult(success=False, handled=False)
        try:
            fields = dict(part.split("=", 1) for part in b64decode(args[1]).decode().split("\x01") if part)
        except ValueError:
            return AuthResult(success=False, handled=False)
        user, token = fields.get("user", ""), fields.get("auth", "").removeprefix("Bearer ")
        if not self.oauth.valid(user, token):
            return AuthResult(success=False, handled=False)
        self.authenticated.append((user, token))
        return AuthResult(success=True, auth_data=user)

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.oauth is not None and not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_reply:
            return self.data_reply
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


class SmtpSink:
    def __init__(self, port: int | None = None, oauth=None):
        self.port = port or free_port()
        self.handler = SinkHandler(oauth=oauth)
        # Plain text on loopback; with `oauth`, AUTH is offered (without TLS) and XOAUTH2 is the only way in.
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port,
                                     auth_require_tls=False, auth_exclude_mechanism=["PLAIN", "LOGIN"])

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    @property
    def received(self) -> list[Received]:
        return self.handler.received


class Dovecot:
    USER, PASSWORD = "cm", "imap-test-secret"

    def __init__(self, oauth_introspection_url: str | None = None):
        self.oauth_introspection_url = oauth_introspection_url
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="ambassade-imap-")
        self.process = None

    def __enter__(self):
        if not shutil.which("dovecot"):
            raise FileNotFoundError("dovecot")
        os.chmod(self.dir, 0o755)
        for name in ("run", "state", "mail"):
            os.makedirs(os.path.join(self.dir, name))
        nobody = pwd.getpwnam("nobody")
        os.chown(os.path.join(self.dir, "mail"), nobody.pw_uid, nobody.pw_gid)
        with open(os.path.join(self.dir, "passwd"), "w") as f:
            f.write(f"{self.USER}:{{PLAIN}}{self.PASSWORD}:{nobody.pw_uid}:{nobody.pw_gid}::{self.dir}/mail/{self.USER}::\n")
        config = os.path.join(self.dir, "dovecot.conf")
        with open(config, "w") as f:
            f.write(f"""protocols = imap
listen = 127.0.0.1
base_dir = {self.dir}/run
state_dir = {self.dir}/state
log_path = {self.dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login{" xoauth2 oauthbearer" if self.oauth_introspection_url else ""}
default_internal_user = dovecot
default_login_user = dovenull
first_valid_uid = 1
mail_location = maildir:{self.dir}/mail/%u
{self._oauth_passdb()}passdb {{
  driver = passwd-file
  args = {self.dir}/passwd
}}
userdb {{
  driver = passwd-file
  args = {self.dir}/passwd
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
""")
        self.process = subprocess.Popen(["dovecot", "-F", "-c", config], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return self
            except OSError:
                time.sleep(0.1)
        self.__exit__()
        raise RuntimeError("Dovecot did not start: " + self.log())

    def _oauth_passdb(self) -> str:
        """Dovecot's oauth2 password database, asking the test's authorization server (RFC 7662)."""
        if not self.oauth_introspection_url:
            return ""
        args = os.path.join(self.dir, "oauth2.conf.ext")
        with open(args, "w") as f:
            f.write(f"introspection_mode = post\nintrospection_url = {self.oauth_introspection_url}\n"
                    "force_introspection = yes\nusername_attribute = username\n"
                    "active_attribute = active\nactive_value = true\n")
        return f"passdb {{\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  args = {args}\n}}\n"

    def log(self) -> str:
        try:
            with open(os.path.join(self.dir, "dovecot.log")) as f:
                return f.read()[-2000:]
        except OSError:
            return ""

    def append(self, raw: bytes, folder: str = "INBOX") -> None:
        from imapclient import IMAPClient

        with IMAPClient("127.0.0.1", port=self.port, ssl=False) as client:
            client.login(self.USER, self.PASSWORD)
            client.append(folder, raw)

    def __exit__(self, *exc):
        if self.process:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.dir, ignore_errors=True)
