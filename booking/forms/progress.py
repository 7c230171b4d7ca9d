"""The PEG's three questions (booking/progress/peg.py), each a 0-10 scale."""

from crispy_forms.layout import Field
from django import forms

from ..progress.peg import ANCHORS, ITEMS, PegAnswers
from .layout import form_helper

REQUIRED = "Please choose a number from 0 to 10, or skip these questions."


def _scale(name: str) -> forms.TypedChoiceField:
    low, high = ANCHORS[name]
    return forms.TypedChoiceField(
        label=ITEMS[name],
        help_text=f"0 = {low}, 10 = {high}.",
        choices=[(str(n), str(n)) for n in range(11)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": REQUIRED, "invalid_choice": REQUIRED},
    )


class PegForm(forms.Form):
    pain = _scale("pain")
    enjoyment = _scale("enjoyment")
    activity = _scale("activity")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(*(Field(name, wrapper_class="scale") for name in ITEMS))

    def answers(self) -> PegAnswers:
        return PegAnswers(**{name: self.cleaned_data[name] for name in ITEMS})
