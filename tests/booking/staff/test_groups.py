"""The staff's groups in Wagtail's page admin: practitioners publish articles, the front desk
does not."""

import pytest
from django.urls import reverse

from booking.groups import FRONT_DESK
from tests.factories.staff import staff_member as staff


@pytest.mark.django_db
def test_practitioners_write_and_publish_articles_but_front_desk_does_not(rosa_client, client):
    from blog.models import ArticleIndexPage, ArticlePage
    from booking.groups import grant_article_publishing
    from tests.factories.articles import article_form_data

    index = ArticleIndexPage.objects.get()
    grant_article_publishing(index)  # the demo command does this for the demo's index
    add_url = reverse("wagtailadmin_pages:add", args=["blog", "articlepage", index.pk])
    data = article_form_data(title="Mei's new article", slug="meis-new-article")
    response = rosa_client.post(add_url, {**data, "action-publish": "action-publish"})
    assert response.status_code == 302
    assert ArticlePage.objects.get(slug="meis-new-article").live

    client.force_login(staff("desk3", FRONT_DESK))
    assert client.get(add_url).status_code in {302, 403}
