"""The patient's rights over what the practice holds: a copy of it (``export``), erasure
(``erasure``) and retention (``retention``); ``records`` holds what they share.

``patient_erase`` and ``Erasure`` are imported from ``privacy.erasure`` rather than from
here: erasure tells practitioners through ``notifications`` and so ``tasks``, which runs the
retention purge from this package; re-exporting it here would close that loop.
"""

from .export import patient_export, patient_export_json, patient_export_log
from .records import (
    ERASE_ACTION,
    ERASED_DATE_OF_BIRTH,
    ERASED_EMAIL_DOMAIN,
    ERASED_LABEL,
    EXPORT_ACTION,
    is_erased,
    patient_find,
)
from .retention import intakes_purge_expired, retention_cutoff, years_before

__all__ = [
    "ERASED_DATE_OF_BIRTH",
    "ERASED_EMAIL_DOMAIN",
    "ERASED_LABEL",
    "ERASE_ACTION",
    "EXPORT_ACTION",
    "intakes_purge_expired",
    "is_erased",
    "patient_export",
    "patient_export_json",
    "patient_export_log",
    "patient_find",
    "retention_cutoff",
    "years_before",
]
