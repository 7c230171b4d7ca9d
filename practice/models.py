"""Site-wide pages, the practice's settings and the practitioner profiles."""

from django.db import models
from django.utils.functional import cached_property
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.coreutils import resolve_model_string
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from . import brand, structured_data, typefaces
from .blocks import BaseStreamBlock, OpeningHoursBlock, faq_items


@register_setting(icon="home")
class PracticeSettings(BaseSiteSetting):
    """Who the practice is and how to reach it; shown in the footer and structured data."""

    name = models.CharField(max_length=120, default="Cedar Street Acupuncture")
    tagline = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    street_address = models.CharField(max_length=200, blank=True)
    address_locality = models.CharField("town or city", max_length=100, blank=True)
    address_region = models.CharField("state or region", max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    address_country = models.CharField(
        "country", max_length=2, default="US", help_text="Two-letter country code."
    )
    map_url = models.URLField(
        "map link",
        blank=True,
        help_text="A plain link to the address on a map; no map is embedded in the site.",
    )
    opening_hours = StreamField(
        [("hours", OpeningHoursBlock())],
        blank=True,
        help_text="Days that share the same hours; leave a day out when closed.",
    )
    price_currency = models.CharField(max_length=3, default="USD")
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown beside the name at the top of every page and in the admin. A square "
        "or wide mark on a transparent or white background works best.",
    )
    brand_colour = models.CharField(
        "main colour",
        max_length=7,
        default=brand.DEFAULT_MAIN,
        validators=[brand.validate_brand_colour],
        help_text="Buttons and links, e.g. #1f5750. It must be dark enough for white text on "
        "it and for links on the site's light backgrounds.",
    )
    brand_colour_dark = models.CharField(
        "dark colour",
        max_length=7,
        default=brand.DEFAULT_DARK,
        validators=[brand.validate_brand_colour],
        help_text="The footer and buttons under the pointer, e.g. #153e39: a deeper shade.",
    )
    typeface = models.CharField(
        max_length=40,
        choices=typefaces.CHOICES,
        default=typefaces.SYSTEM,
        help_text="The letters of the whole site; each is served from this site, none from "
        "another.",
    )

    panels = [
        MultiFieldPanel([FieldPanel("name"), FieldPanel("tagline")], heading="The practice"),
        MultiFieldPanel(
            [
                FieldPanel("logo"),
                FieldPanel("brand_colour"),
                FieldPanel("brand_colour_dark"),
                FieldPanel("typeface"),
            ],
            heading="Look",
        ),
        MultiFieldPanel([FieldPanel("phone"), FieldPanel("email")], heading="Contact"),
        MultiFieldPanel(
            [
                FieldPanel("street_address"),
                FieldPanel("address_locality"),
                FieldPanel("address_region"),
                FieldPanel("postal_code"),
                FieldPanel("address_country"),
                FieldPanel("map_url"),
            ],
            heading="Address",
        ),
        FieldPanel("opening_hours"),
        FieldPanel("price_currency"),
    ]

    class Meta:
        verbose_name = "practice details"

    @property
    def address_lines(self) -> list[str]:
        town = " ".join(
            part for part in (self.address_locality, self.address_region, self.postal_code) if part
        )
        return [line for line in (self.street_address, town) if line]


class PractitionerProfile(index.Indexed, models.Model):
    """The public face of a practitioner: shown on the site and as the author of articles."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    job_title = models.CharField(max_length=120, default="Licensed Acupuncturist")
    credentials = models.CharField(
        max_length=120,
        blank=True,
        help_text="Letters after the name, e.g. 'L.Ac., Dipl. Ac. (NCCAOM)'.",
    )
    licence = models.CharField(
        max_length=200, blank=True, help_text="State licence, e.g. 'Licensed Acupuncturist, MA'."
    )
    board_certification = models.CharField(
        max_length=200,
        blank=True,
        help_text="e.g. 'Diplomate of Acupuncture, NCCAOM'.",
    )
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    short_bio = models.TextField(max_length=400, help_text="Two or three sentences.")
    biography = RichTextField(blank=True, features=["bold", "italic", "link", "ul"])

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("job_title"),
        FieldPanel("credentials"),
        FieldPanel("licence"),
        FieldPanel("board_certification"),
        FieldPanel("photo"),
        FieldPanel("short_bio"),
        FieldPanel("biography"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = "practitioner profile"

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


class HomePage(Page):
    hero_heading = models.CharField(max_length=120)
    hero_text = models.TextField(max_length=400)
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    audience_heading = models.CharField(max_length=120, default="Who we help")
    audience_text = RichTextField(features=["bold", "italic", "link", "ul"])
    practitioner = models.ForeignKey(
        PractitionerProfile,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The practitioner introduced on the home page.",
    )
    body = StreamField(BaseStreamBlock(), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("hero_heading"), FieldPanel("hero_text"), FieldPanel("hero_image")],
            heading="Introduction",
        ),
        MultiFieldPanel(
            [FieldPanel("audience_heading"), FieldPanel("audience_text")],
            heading="Who the practice is for",
        ),
        FieldPanel("practitioner"),
        FieldPanel("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["practice.StandardPage", "blog.ArticleIndexPage"]
    max_count = 1

    # Most visits go to the articles: the index is looked up as its own page type in one
    # query, instead of Wagtail's child lookup followed by a specific-page query. Named as
    # in ``subpage_types``, so this module imports nothing from the blog.
    ARTICLE_INDEX = "blog.ArticleIndexPage"

    def route(self, request, path_components):
        if path_components:
            index_model = resolve_model_string(self.ARTICLE_INDEX)
            index = index_model.objects.child_of(self).filter(slug=path_components[0]).first()
            if index is not None:
                index._cached_parent_obj = self
                return index.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        # The services and the latest articles come from their apps' template tags.
        context = super().get_context(request, *args, **kwargs)
        context["practitioners"] = self.practitioners_shown()
        return context

    def practitioners_shown(self) -> list[PractitionerProfile]:
        """Everyone a patient can book, the practitioner this page introduces first."""
        profiles = (
            PractitionerProfile.objects.select_related("photo")
            .prefetch_related("photo__renditions")
            .filter(practitioner__is_active=True)
        )
        return sorted(profiles, key=lambda profile: profile.pk != self.practitioner_id)

    @property
    def meta_description(self) -> str:
        return self.search_description or self.hero_text

    def get_structured_data(self, request, practice: PracticeSettings) -> list[dict]:
        return [
            structured_data.clinic(request, practice, page=self),
            structured_data.website(request, practice, page=self),
        ]


class StandardPage(Page):
    """About, FAQ, privacy notice, medical disclaimer and other plain pages."""

    summary = models.TextField(
        max_length=300, help_text="One or two sentences; also the page's description in search."
    )
    body = StreamField(BaseStreamBlock())

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]

    parent_page_types = ["practice.HomePage", "practice.StandardPage"]
    subpage_types = ["practice.StandardPage"]

    @property
    def meta_description(self) -> str:
        return self.search_description or self.summary

    @cached_property
    def faq_items(self) -> list:
        return faq_items(self.body)

    def get_structured_data(self, request, practice: PracticeSettings) -> list[dict]:
        data = [structured_data.breadcrumbs(request, self)]
        if self.faq_items:
            data.append(structured_data.faq_page(request, self, self.faq_items))
        return data
