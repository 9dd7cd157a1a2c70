"""smtp_sink.py: aiosmtpd handlers for the tests: a Maildir that refuses some recipients.

    /usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c smtp_sink.Maildir DIR

with tests/e2e on PYTHONPATH. Recipients whose local part starts with "reject" get a
permanent 550, the way a real server answers for an address that does not exist.
"""

from aiosmtpd.handlers import Mailbox


class Maildir(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("reject"):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"
