"""Every page type: where it may be created, that it renders, that it previews."""

import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from blog.models import ArticleIndexPage, ArticlePage
from practice.models import HomePage, StandardPage
from tests.factories.articles import article_form_data
from tests.factories.practice import practice_create
from tests.factories.site import site_create


class OwnSiteTestCase(WagtailPageTestCase):
    """Wagtail's page assertions, on the tests' own site. Built once for the class: a
    Django test case wraps every test in the class's own transaction, which pytest's
    fixtures run outside of (``own_site`` leaves these to build their own)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        practice_create()
        cls.site = site_create()


@pytest.mark.django_db
class PageTypeRulesTests(OwnSiteTestCase):
    def test_home_page_lives_at_the_root_only(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(HomePage, {StandardPage, ArticleIndexPage})

    def test_articles_live_only_under_the_index_and_have_no_children(self):
        self.assertAllowedParentPageTypes(ArticlePage, {ArticleIndexPage})
        self.assertAllowedSubpageTypes(ArticlePage, set())
        self.assertCanNotCreateAt(HomePage, ArticlePage)
        self.assertCanNotCreateAt(StandardPage, ArticlePage)

    def test_the_index_lives_under_home_and_holds_articles(self):
        self.assertAllowedParentPageTypes(ArticleIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(ArticleIndexPage, {ArticlePage})
        self.assertCanCreateAt(ArticleIndexPage, ArticlePage)

    def test_standard_pages_nest_under_home_and_each_other(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanCreateAt(StandardPage, StandardPage)
        self.assertCanNotCreateAt(ArticleIndexPage, StandardPage)


@pytest.mark.django_db
class RenderAndPreviewTests(OwnSiteTestCase):
    def pages(self):
        return [
            self.site.home,
            self.site.pages["about"],
            self.site.pages["faq"],
            self.site.index,
            self.site.article,
        ]

    def test_every_page_type_renders(self):
        for page in self.pages():
            with self.subTest(page=page.title):
                self.assertPageIsRenderable(page)

    def test_every_page_type_previews_its_saved_draft(self):
        self.client.force_login(self.create_superuser("previewer"))
        for page in self.pages():
            with self.subTest(page=page.title):
                page.seo_title = f"Draft of {page.title}"
                page.save_revision()
                response = self.client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
                assert response.status_code == 200
                assert b"Draft of" in response.content


@pytest.mark.django_db
def test_an_article_previews_while_being_edited_and_the_preview_saves_nothing(
    admin_client, article
):
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[article.pk])
    data = article_form_data(title="Unsaved new title", slug=article.slug)

    assert admin_client.post(preview_url, data).json() == {"is_valid": True, "is_available": True}
    response = admin_client.get(preview_url)

    assert response.status_code == 200
    assert b"Unsaved new title" in response.content
    article.refresh_from_db()
    assert article.title != "Unsaved new title"


@pytest.mark.django_db
class CreateArticleInAdminTests(OwnSiteTestCase):
    def test_an_article_with_every_block_can_be_created_and_published(self):
        index = self.site.index
        # force_login: the test client's login() gives django-axes no request to check.
        self.client.force_login(self.create_superuser("writer"))
        data = article_form_data(
            title="Sleeping positions and neck pain",
            slug="sleeping-positions",
            topic=self.site.topics["sleep"],
        )
        self.assertCanCreate(index, ArticlePage, data)
        article = ArticlePage.objects.get(slug="sleeping-positions")
        assert article.live
        assert [t.slug for t in article.topics.all()] == ["sleep"]
        assert article.table_of_contents == [("pillows", "Pillows")]
        response = self.client.get(article.url)
        assert response.status_code == 200
        assert b"Book a follow-up" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    [
        "wagtailsnippets_practice_practitionerprofile:list",
        "wagtailsnippets_blog_topic:list",
        "wagtailsnippets_booking_service:list",
    ],
)
def test_snippets_are_managed_in_the_admin(admin_client, url_name):
    assert admin_client.get(reverse(url_name)).status_code == 200


@pytest.mark.django_db
def test_practice_details_are_edited_in_the_admin_and_shown_at_once(admin_client, client, site):
    url = reverse("wagtailsettings:edit", args=["practice", "practicesettings", site.site.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert b"Test Street Acupuncture" in page.content
    assert b"(555) 010-2323" in client.get("/").content  # the footer is now cached
    site.practice.phone = "(555) 010-9999"
    site.practice.save()
    footer = client.get("/").content
    assert b"(555) 010-9999" in footer and b"(555) 010-2323" not in footer


@pytest.mark.django_db
def test_navigation_follows_publishing_at_once(client, soup, home):
    client.get("/")  # navigation is now cached
    page = StandardPage(
        title="Our clinic rooms", slug="rooms", summary="Where you are treated.", show_in_menus=True
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    header = soup(client.get("/")).select_one('nav[aria-label="Main"]')
    assert "Our clinic rooms" in header.get_text()

    page.unpublish()
    header = soup(client.get("/")).select_one('nav[aria-label="Main"]')
    assert "Our clinic rooms" not in header.get_text()
