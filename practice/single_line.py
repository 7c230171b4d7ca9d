"""Names and other one-line fields refuse control and invisible formatting characters.

A name with a line break (Unicode category Cc) shows as a new line in a practitioner's
email, and a right-to-left override or other invisible formatting character (category Cf)
makes text read differently from what is stored. Neither belongs in a name, a phone number,
an email address or a label, so forms refuse them with a message saying what was found,
and keep everything else that was typed.
"""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError

REFUSED_CATEGORIES = frozenset({"Cc", "Cf"})


def _described(character: str) -> str:
    if character in "\r\n\u0085":
        return "a line break"
    if character == "\t":
        return "a tab"
    if unicodedata.category(character) == "Cc":
        return f"a control character (U+{ord(character):04X})"
    return f"an invisible formatting character (U+{ord(character):04X})"


def refuse_hidden_characters(value: str) -> None:
    """A validator: refuses text holding a character of category Cc or Cf."""
    for character in str(value):
        if unicodedata.category(character) in REFUSED_CATEGORIES:
            raise ValidationError(
                "Please write this on one line, without hidden characters: we found "
                f"{_described(character)}. Type it again, or delete and retype the end of it.",
                code="hidden_character",
            )


SKIPPED_WIDGETS = (forms.Textarea, forms.PasswordInput, forms.HiddenInput)


def guard_single_line_fields(form: forms.BaseForm) -> None:
    """Adds the check to every text field of ``form`` shown on one line (not text areas,
    whose line breaks are wanted, nor passwords, which are never shown)."""
    for field in form.fields.values():
        one_line = isinstance(field, forms.CharField) and not isinstance(
            field.widget, SKIPPED_WIDGETS
        )
        if one_line and refuse_hidden_characters not in field.validators:
            field.validators.append(refuse_hidden_characters)


class SingleLineFields:
    """A form mixin: ``guard_single_line_fields`` on every instance."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_single_line_fields(self)
