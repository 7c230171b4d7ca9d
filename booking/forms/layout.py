"""What the booking forms share: crispy-forms layout without a <form> tag, and plain messages."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.template.loader import render_to_string

from .. import questions


def plain_required_messages(form: forms.Form) -> None:
    """ "Please answer this question" rather than Django's "This field is required"."""
    for field in form.fields.values():
        if field.error_messages.get("required") == forms.Field.default_error_messages["required"]:
            field.error_messages["required"] = "Please answer this question."


def form_helper(*fieldsets) -> FormHelper:
    helper = FormHelper()
    # The templates write the <form> with its one CSRF token, its buttons and its error
    # summary; the fields alone hold nothing of the visitor's.
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fieldsets)
    return helper


def free_text(label: str, *, rows: int) -> forms.CharField:
    """An optional answer in the patient's own words."""
    return forms.CharField(
        label=label, required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": rows})
    )


def yes_no(question: str) -> forms.ChoiceField:
    return forms.ChoiceField(label=question, choices=questions.YES_NO, widget=forms.RadioSelect)


class Disclosure(Div):
    """Optional questions folded under a <details> that opens without JavaScript. It is
    open from the start when one of them holds an answer or an error, so that nothing a
    patient typed, and no message about it, is ever hidden."""

    def __init__(self, summary: str, *fields, **kwargs):
        super().__init__(*fields, **kwargs)
        self.summary = summary

    def render(self, form, context, template_pack=None, **kwargs):
        rendered = self.get_rendered_fields(form, context, template_pack, **kwargs)
        names = [pointer.name for pointer in self.get_field_names()]
        filled = any(form[name].value() not in (None, "", []) for name in names)
        wrong = form.is_bound and any(form.errors.get(name) for name in names)
        return render_to_string(
            "booking/includes/disclosure.html",
            {
                "summary": self.summary,
                "fields": rendered,
                "open": filled or wrong,
                "css_class": self.css_class,
            },
        )
