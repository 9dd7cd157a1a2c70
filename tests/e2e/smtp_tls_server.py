"""smtp_tls_server.py: an aiosmtpd server that takes mail only over TLS and after AUTH.

    /usr/bin/python3 tests/e2e/smtp_tls_server.py --mode starttls|smtps --port PORT \\
        --cert CERT.pem --key KEY.pem --user USER --password PASSWORD \\
        --events EVENTS.log MAILDIR

starttls: plain SMTP that refuses every command but EHLO/NOOP/QUIT before STARTTLS and
offers AUTH only after it. smtps: TLS from the first byte (implicit TLS, port 465 style).
Either way MAIL is refused until AUTH succeeded with the one USER/PASSWORD.

What the session was is recorded the way a real MTA records it: each accepted message
gets a Received: header "with ESMTPSA" (RFC 3848: TLS and AUTH) naming the TLS version
and the authenticated user, then goes into MAILDIR. EVENTS gets a line per AUTH attempt
("auth-ok USER", "auth-fail USER") and per STARTTLS handshake ("tls-ok VERSION", or
"tls-fail REASON" when the client broke it off), so a test can tell a refused login or
an unverified certificate from a server nobody reached. "ready" is printed once the port
accepts connections; SIGTERM stops it.
"""

import argparse
import email.utils
import hmac
import mailbox
import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword, TLSSetupException


class Recorder:
    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()

    def __call__(self, line):
        with self.lock, open(self.path, "a") as f:
            f.write(line.replace("\n", " ") + "\n")


def tls_of(server):
    """The ssl object of the session's transport (STARTTLS or implicit), or None."""
    return server.transport.get_extra_info("ssl_object") if server.transport else None


class Sink:
    def __init__(self, maildir, record):
        self.box = mailbox.Maildir(maildir, create=True)
        self.record = record

    async def handle_DATA(self, server, session, envelope):
        tls = tls_of(server)
        if tls is None or not session.authenticated:
            # auth_required and the TLS settings make this unreachable; be sure anyway.
            return "530 5.7.0 TLS and authentication required"
        login = session.auth_data.login.decode("utf-8", "replace")
        received = ("Received: from %s ([%s]) by hearth-test-smtp with ESMTPSA "
                    "(%s %s) (authenticated as %s); %s\r\n"
                    % (session.host_name, session.peer[0], tls.version(), tls.cipher()[0],
                       login, email.utils.formatdate()))
        self.box.add(received.encode() + envelope.original_content)
        return "250 OK"


class Authenticator:
    def __init__(self, user, password, record):
        self.user = user.encode()
        self.password = password.encode()
        self.record = record

    def __call__(self, server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword) or tls_of(server) is None:
            self.record("auth-fail (no TLS or unknown mechanism %s)" % mechanism)
            return AuthResult(success=False, handled=False)
        ok = (hmac.compare_digest(auth_data.login, self.user) and
              hmac.compare_digest(auth_data.password, self.password))
        self.record("auth-%s %s" % ("ok" if ok else "fail",
                                    auth_data.login.decode("utf-8", "replace")))
        return AuthResult(success=ok, handled=False, auth_data=auth_data)


class RecordingSMTP(SMTP):
    """Notes each STARTTLS handshake: "tls-ok VERSION", or "tls-fail REASON" when the
    client broke it off (it refused our certificate's chain). A client that finds the
    wrong name in the certificate checks after the handshake: "tls-ok" and no AUTH."""

    def __init__(self, handler, record, **kwargs):
        super().__init__(handler, **kwargs)
        self.record = record

    async def smtp_STARTTLS(self, arg):
        try:
            await super().smtp_STARTTLS(arg)
        except TLSSetupException as e:
            self.record("tls-fail %s" % (e.__cause__ or e))
            raise
        tls = tls_of(self)
        if tls is not None:
            self.record("tls-ok %s" % tls.version())


class TLSController(Controller):
    def __init__(self, handler, record, **kwargs):
        self.record = record
        super().__init__(handler, **kwargs)

    def factory(self):
        return RecordingSMTP(self.handler, self.record, **self.SMTP_kwargs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=["starttls", "smtps"], required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--password", required=True)
    ap.add_argument("--events", required=True)
    ap.add_argument("maildir")
    a = ap.parse_args()

    record = Recorder(a.events)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(a.cert, a.key)
    common = dict(hostname="127.0.0.1", port=a.port, auth_required=True,
                  authenticator=Authenticator(a.user, a.password, record))
    if a.mode == "starttls":
        server = TLSController(Sink(a.maildir, record), record, tls_context=ctx,
                               require_starttls=True, **common)
    else:
        # aiosmtpd's own TLS check knows only STARTTLS; the Authenticator checks the
        # transport instead, which is TLS from the start here.
        server = TLSController(Sink(a.maildir, record), record, ssl_context=ctx,
                               auth_require_tls=False, **common)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    server.start()
    print("ready", flush=True)
    stop.wait()
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
