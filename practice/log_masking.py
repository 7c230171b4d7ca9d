"""Secret links never reach the logs.

A manage link, a waiting-list link, a calendar feed and a password reset link each carry
their secret in the address: a log line with the address in full hands the link to
whoever reads the logs.
Django logs the path of every 4xx and 5xx (``django.request``), of a refused CSRF check
or a bad host (``django.security.*``), and the development server every request
(``django.server``). ``TokenMask`` rewrites each record's message with the secret part
of such an address replaced by ``…``; ``LOGGING`` puts it on every handler, so it covers
those loggers and their children (a filter on a logger would miss the records its
children pass up to it). nginx's access log has the same mask (``deploy/nginx``).
``tests/practice/test_log_masking.py`` checks that every route with a token is masked.
"""

import logging
import re

MASK = "…"
# Query parameters that carry a link's secret (the old "want something sooner?" link).
SECRET_PARAMETERS = frozenset({"move"})

# Each: the part that stays, then the secret. The public routes live under /book/.
_SECRETS = re.compile(
    r"(?P<keep>/book/appointment/)[^/?#\s\"']+"
    r"|(?P<keep2>/book/waiting-list/claim/)[^/?#\s\"']+"
    r"|(?P<keep3>/book/waiting-list/)(?!claim/|check/)[^/?#\s\"']+"
    r"|(?P<keep4>/calendar/)[^/?#\s\"']+?(?=\.ics)"
    r"|(?P<keep5>\bmove=)[^&#\s\"']+"
    # Wagtail's password reset link: the user's id and the one-time token.
    r"|(?P<keep6>/password_reset/confirm/)[^/?#\s\"']+/[^/?#\s\"']+"
    # A patient's emailed sign-in link to "My appointments".
    r"|(?P<keep7>/my/sign-in/)[^/?#\s\"']+"
)


def masked(text: str) -> str:
    """``text`` with the secret of every link address in it replaced by ``…``."""
    return _SECRETS.sub(lambda m: next(g for g in m.groups() if g is not None) + MASK, text)


class TokenMask(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: logging reports it as it would have
            return True
        cleaned = masked(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True
