"""Small pieces several test folders share: the machine's Chromium and a real SMTP inbox."""

import email
import os
import socket

# The browser tests (tests/browser, tests/audit) drive the machine's Chromium, never a
# downloaded one. Without the background-networking flags it keeps trying to reach Google.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class Inbox:
    """An SMTP server's mailbox (an aiosmtpd handler): every message it accepted, parsed."""

    def __init__(self):
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
