"""The article editor's form: who wrote it starts as the person writing, and publishing
asks for what a reader must be able to check (blog/publishing.py)."""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.blocks import StreamBlockValidationError

from practice.models import PractitionerProfile

from .publishing import FUTURE_REVIEW_DATE, publishing_problems


class ArticlePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        if instance is not None and instance.pk is None and not instance.body:
            # A new article ends by inviting the reader to book; the editor may remove it.
            instance.body = booking_call_to_action()
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and self.instance.author_id is None and not self.is_bound:
            profile = own_profile(self.for_user)
            if profile is not None:
                self.initial["author"] = profile.pk

    def clean(self):
        cleaned_data = super().clean()
        reviewed = cleaned_data.get("last_reviewed")
        if reviewed and reviewed > timezone.localdate():  # a draft too (publishing.py)
            self.add_error("last_reviewed", FUTURE_REVIEW_DATE)
        # Wagtail defers required fields only when saving a draft; publishing, scheduling,
        # submitting for moderation and workflow actions validate the page in full.
        if self.is_deferred_validation:
            return cleaned_data
        problems = publishing_problems(
            author_id=_pk(cleaned_data.get("author")),
            reviewed_by_id=_pk(cleaned_data.get("reviewed_by")),
            last_reviewed=cleaned_data.get("last_reviewed"),
            body=cleaned_data.get("body"),
        )
        for field, message in problems.items():
            if field in self.errors:
                continue  # the field's own error comes first; the widget shows one
            if field == "body":
                # A StreamField shows errors about the stream as a whole in this shape.
                self.add_error(field, StreamBlockValidationError(non_block_errors=[message]))
            else:
                self.add_error(field, ValidationError(message, code="required_to_publish"))
        return cleaned_data


def own_profile(user) -> PractitionerProfile | None:
    """The public profile of the practitioner signed in as ``user``, if they are one."""
    if user is None or not user.is_authenticated:
        return None
    return PractitionerProfile.objects.filter(practitioner__user=user).first()


def _pk(instance) -> int | None:
    return instance.pk if instance is not None else None


def booking_call_to_action() -> list:
    """A new article's body: the call to book a first visit (the first active service for
    new patients), or nothing when the practice offers none."""
    service = (
        apps.get_model("booking", "Service")
        .objects.filter(is_active=True, for_new_patients=True)
        .order_by("sort_order", "name")
        .first()
    )
    if service is None:
        return []
    return [
        (
            "booking_cta",
            {
                "heading": "Book a first visit",
                "text": "A first visit starts with your questions and a careful assessment.",
                "service": service,
                "button_label": f"Book a {service.name.lower()}",
            },
        )
    ]
