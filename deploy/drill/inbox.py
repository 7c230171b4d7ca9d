"""The drill's SMTP server's mailbox (an aiosmtpd handler, run in the drill's process)."""

from __future__ import annotations

import asyncio
import re
import threading
from email import message_from_bytes


class Inbox:
    """A real SMTP server's mailbox: every message whose data it received and accepted.
    ``hold`` keeps one recipient's sender waiting after it named the recipient, before it
    sends the message: a worker killed then has sent nothing the server could deliver."""

    def __init__(self):
        self.accepted: list[tuple[str, str, str]] = []  # (recipient, subject, text)
        self.held_connections = 0
        self.hold_for: str | None = None
        self.hold_seconds = 0.0
        self.held = threading.Event()
        self.lock = threading.Lock()

    def hold(self, recipient: str | None, seconds: float = 0.0) -> None:
        """Keep the sender of a message to ``recipient`` waiting, mid-conversation."""
        self.hold_for, self.hold_seconds = recipient, seconds
        self.held.clear()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        # A held sender waits here, in the middle of its conversation with the server.
        if self.hold_for is not None and address == self.hold_for:
            self.held_connections += 1
            self.held.set()
            await asyncio.sleep(self.hold_seconds)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content)
        entry = (",".join(envelope.rcpt_tos), str(message["Subject"]), _text(message))
        with self.lock:
            self.accepted.append(entry)
        return "250 Message accepted"

    def count(self, recipient: str | None = None, subject_has: str = "") -> int:
        with self.lock:
            return sum(
                1
                for to, subject, _ in self.accepted
                if (recipient is None or to == recipient) and subject_has in subject
            )

    def keys(self, subject_has: str, contains: str, key: str) -> list[str]:
        """For each accepted message whose subject and text match, the text ``key`` finds."""
        with self.lock:
            found = []
            for _, subject, text in self.accepted:
                if subject_has in subject and contains in text:
                    match = re.search(key, text)
                    found.append(match.group(0) if match else "")
            return found


def _text(message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode("utf-8", "replace")
    return ""
