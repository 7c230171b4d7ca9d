"""Phone numbers read as the practice's country writes them, and stored in E.164.

Parsing and the per-country lengths come from ``phonenumbers`` (Google's libphonenumber).
A number must be *possible* for its country (the right number of digits, a real country
code); whether it is in service only a call can tell, so fictional demo numbers such as
(555) 010-0101 pass.
"""

import phonenumbers
from django.conf import settings


class InvalidPhone(ValueError):
    pass


def _region() -> str:
    return settings.PRACTICE_COUNTRY


def phone_normalise(value: str) -> str:
    """``value`` in E.164 ("+15550100101"), or ``InvalidPhone``. A number without a country
    code is read as one of the practice's country."""
    try:
        number = phonenumbers.parse(value, _region())
    except phonenumbers.NumberParseException:
        raise InvalidPhone(value) from None
    if not phonenumbers.is_possible_number(number):
        raise InvalidPhone(value)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(value: str) -> str:
    """A stored number as people write it: national for the practice's country
    ("(555) 010-0101"), international otherwise; anything unreadable as it was stored."""
    try:
        number = phonenumbers.parse(value, _region())
    except phonenumbers.NumberParseException:
        return value
    national = number.country_code == phonenumbers.country_code_for_region(_region())
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if national
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)
