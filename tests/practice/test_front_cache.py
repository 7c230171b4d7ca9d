"""nginx's one-minute micro-cache: Django marks what it may keep, and a publish has Wagtail's
purge (run as a task) ask it to forget the page and the pages listing it, through a real
HTTP server on loopback standing in for nginx's purge address. deploy/drill/ checks nginx
itself with deploy/nginx/practice.conf."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories.articles import article_form_data


class PurgeListener(ThreadingHTTPServer):
    """Answers PURGE as nginx's cache-purge module does, and remembers each one."""

    daemon_threads = True

    def __init__(self):
        self.purged: list[tuple[str, str]] = []
        super().__init__(("127.0.0.1", 0), self._handler())

    def _handler(self):
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(self):
                listener.purged.append((self.headers["Host"], self.path))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        return Handler


@pytest.fixture
def listener():
    server = PurgeListener()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    backend = "wagtail.contrib.frontend_cache.backends.HTTPBackend"
    with override_settings(WAGTAILFRONTENDCACHE={"nginx": {"BACKEND": backend, "LOCATION": url}}):
        yield server
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_only_what_the_page_cache_keeps_is_marked_for_a_minute(client, article, listener):
    page = client.get(article.url)
    again = client.get(article.url)
    booking = client.get("/book/")
    search = client.get("/articles/?q=shoulder")

    assert page["X-Accel-Expires"] == again["X-Accel-Expires"] == "60"
    assert "X-Accel-Expires" not in booking
    assert "X-Accel-Expires" not in search


@pytest.mark.django_db
def test_without_a_front_cache_pages_carry_no_mark(client, article):
    assert "X-Accel-Expires" not in client.get(article.url)


@pytest.mark.django_db
def test_a_publish_purges_the_page_and_the_pages_listing_it(
    admin_client, article, listener, django_capture_on_commit_callbacks
):
    data = article_form_data(title="A newly published title", slug=article.slug)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("wagtailadmin_pages:edit", args=[article.pk]),
            {**data, "action-publish": "action-publish"},
        )

    paths = {path for _, path in listener.purged}
    assert {article.url, "/articles/", "/articles/feed/", "/", "/sitemap.xml"} <= paths
    assert not any("?" in path for path in paths)


@pytest.mark.django_db
def test_an_unpublish_purges_the_page_too(article, listener, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    assert article.url in {path for _, path in listener.purged}
