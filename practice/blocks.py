"""The StreamField blocks every page body is built from."""

from django.utils.text import slugify
from wagtail import blocks
from wagtail.images.blocks import ImageBlock
from wagtail.snippets.blocks import SnippetChooserBlock

# Article prose: no h2 here, so every section heading is a HeadingBlock and
# appears in the table of contents.
RICH_TEXT_FEATURES = ["bold", "italic", "h3", "ol", "ul", "link"]


class HeadingBlock(blocks.CharBlock):
    """A section heading (h2) with a stable anchor for the table of contents."""

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["anchor"] = heading_anchor(value)
        return context

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        form_classname = "title"
        preview_value = "How acupuncture is thought to work"
        description = "A section heading; it appears in the table of contents."


def heading_anchor(text: str) -> str:
    return slugify(text) or "section"


def faq_items(body) -> list:
    """Every question and answer in a page body, for FAQ structured data."""
    return [item for block in body if block.block_type == "faq" for item in block.value["items"]]


class FigureBlock(blocks.StructBlock):
    image = ImageBlock()
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "blocks/figure_block.html"
        description = "An image with alt text and an optional caption."


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=120)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        preview_value = {
            "text": "We start with what matters to you in daily life, not with the needles.",
            "attribution": "The practitioner",
        }
        description = "A short quotation, optionally attributed."


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[
            ("doctor", "Medical advice on this topic"),
            ("info", "Good to know"),
            ("tip", "Practical tip"),
        ],
        default="info",
    )
    title = blocks.CharBlock(max_length=120)
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        template = "blocks/callout_block.html"
        preview_value = {
            "kind": "tip",
            "title": "Before your visit",
            "text": "<p>Wear loose clothing that rolls up easily over your back and legs.</p>",
        }
        description = (
            "A highlighted box: a tip, something good to know, or medical advice on this "
            "topic. The signs that need a doctor first are the “When to see a doctor” block, "
            "shown on every article already."
        )


class FAQItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=200)
    answer = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        label = "Question and answer"


class FAQBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=120, default="Questions and answers")
    items = blocks.ListBlock(FAQItemBlock(), min_num=1)

    class Meta:
        icon = "help"
        template = "blocks/faq_block.html"
        description = "Questions and answers, also published as FAQ structured data."


class ReferenceBlock(blocks.StructBlock):
    citation = blocks.TextBlock(help_text="Authors. Title. Journal or publisher. Year.")
    url = blocks.URLBlock(required=False)

    class Meta:
        label = "Source"


class ReferencesBlock(blocks.StructBlock):
    items = blocks.ListBlock(ReferenceBlock(), min_num=1)

    class Meta:
        icon = "list-ol"
        template = "blocks/references_block.html"
        description = "The sources an article relies on, numbered."


class BookingCallToActionBlock(blocks.StructBlock):
    """Invites the reader to book a named service, recording the page as the source."""

    heading = blocks.CharBlock(max_length=120, default="Book a session")
    text = blocks.TextBlock(required=False)
    service = SnippetChooserBlock("booking.Service")
    button_label = blocks.CharBlock(max_length=60, default="Book this session")

    class Meta:
        icon = "date"
        template = "blocks/booking_cta_block.html"
        description = "A call to action that opens booking with this service preselected."


class SeekCareBlock(blocks.StructBlock):
    """The shared "when to see a doctor" box: both urgency tiers, worded once in
    practice/seek_care.py, so a page never writes its own."""

    heading = blocks.CharBlock(
        required=False,
        max_length=120,
        help_text="Leave blank for “When to see a doctor instead”. The signs themselves are "
        "the same on every page and cannot be edited here.",
    )

    class Meta:
        icon = "warning"
        template = "blocks/seek_care_block.html"
        description = "The practice's two urgency tiers: call 911 now, or see a doctor first."


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock(label="Section heading")
    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES,
        icon="pilcrow",
        label="Paragraph",
        template="blocks/paragraph_block.html",
    )
    image = FigureBlock(label="Image")
    quote = QuoteBlock(label="Quote")
    callout = CalloutBlock(label="Highlighted box")
    seek_care = SeekCareBlock(label="When to see a doctor")
    faq = FAQBlock(label="FAQ")
    references = ReferencesBlock(label="References")
    booking_cta = BookingCallToActionBlock(label="Call to book")
    practitioner = SnippetChooserBlock(
        "practice.PractitionerProfile",
        icon="user",
        label="Practitioner profile",
        template="blocks/practitioner_block.html",
        description="A practitioner's profile card.",
    )


WEEKDAYS = [
    ("Monday", "Monday"),
    ("Tuesday", "Tuesday"),
    ("Wednesday", "Wednesday"),
    ("Thursday", "Thursday"),
    ("Friday", "Friday"),
    ("Saturday", "Saturday"),
    ("Sunday", "Sunday"),
]


class OpeningHoursBlock(blocks.StructBlock):
    """Days sharing the same hours, e.g. Monday to Thursday, 9:00 to 18:00."""

    days = blocks.MultipleChoiceBlock(choices=WEEKDAYS)
    opens = blocks.TimeBlock()
    closes = blocks.TimeBlock()

    class Meta:
        icon = "time"
        template = "blocks/opening_hours_block.html"
