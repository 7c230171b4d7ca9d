"""The form that asks for a sign-in link to "My appointments"."""

from django import forms

from .layout import form_helper, plain_required_messages


class SignInForm(forms.Form):
    email = forms.EmailField(
        max_length=254,
        label="Your email address",
        help_text="The one you booked with.",
        widget=forms.EmailInput({"autocomplete": "email"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plain_required_messages(self)
        self.helper = form_helper("email")
