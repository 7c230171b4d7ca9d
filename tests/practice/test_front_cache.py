"""The front cache (nginx, practice/front_cache.py): Django marks what it may keep and asks it
to forget, through a real HTTP server on loopback standing in for nginx's purge address.
deploy/drill/ checks nginx itself with deploy/nginx/practice.conf."""

import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import Page

from practice import front_cache
from tests.factories import article_form_data


class PurgeListener(ThreadingHTTPServer):
    """Answers PURGE as nginx's cache-purge module does, and remembers each one."""

    daemon_threads = True

    def __init__(self, status: int = 200):
        self.status = status
        self.purged: list[tuple[str, str]] = []
        self.seen = threading.Event()
        super().__init__(("127.0.0.1", 0), self._handler())

    def _handler(self):
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(self):
                listener.purged.append((self.headers["Host"], self.path))
                self.send_response(listener.status)
                self.send_header("Content-Length", "0")
                self.end_headers()
                listener.seen.set()

            def log_message(self, *args):
                pass

        return Handler

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def listener():
    server = PurgeListener()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def configured(url: str):
    return override_settings(
        SITE_URL="https://clinic.example",
        WAGTAILFRONTENDCACHE={
            "nginx": {"BACKEND": "practice.front_cache.PurgeBackend", "LOCATION": url}
        },
    )


@pytest.mark.django_db
def test_pages_anonymous_visitors_share_are_marked_for_the_front_cache(client, article, listener):
    with configured(listener.url):
        page = client.get(article.url)
        booking = client.get("/book/")
        client.cookies["sessionid"] = "halfway-through-booking"
        again = client.get(article.url)
    assert page[front_cache.HEADER] == str(24 * 60 * 60)
    assert front_cache.HEADER not in booking
    assert front_cache.HEADER not in again


@pytest.mark.django_db
def test_without_a_front_cache_pages_carry_no_header_for_one(client, article):
    assert front_cache.HEADER not in client.get(article.url)


@pytest.mark.django_db
def test_a_publish_asks_the_front_cache_to_forget_every_page(
    admin_client, article, listener, django_capture_on_commit_callbacks
):
    data = article_form_data(title="A newly published title", slug=article.slug)
    with configured(listener.url), django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/pages/{article.pk}/edit/", {**data, "action-publish": "action-publish"}
        )
    assert response.status_code == 302
    assert listener.seen.wait(5)
    # Every address nginx may hold, once each, when the publish commits.
    paths = [path for _, path in listener.purged]
    live = {page.url for page in Page.objects.live().exclude(depth=1)}
    assert sorted(paths) == sorted({*live, "/articles/feed/", "/sitemap.xml", "/robots.txt"})
    assert article.url in paths
    assert {host for host, _ in listener.purged} == {"clinic.example"}


@pytest.mark.django_db
def test_a_proxy_that_is_down_or_says_nothing_was_kept_never_breaks_a_save(
    caplog, article, django_capture_on_commit_callbacks
):
    down = PurgeListener()
    address = down.url
    down.server_close()  # nothing listens there any more
    with configured(address), django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    assert f"did not forget https://clinic.example{article.url}" in caplog.text

    empty = PurgeListener(status=404)  # the purge module's answer when nothing was kept
    thread = threading.Thread(target=empty.serve_forever, daemon=True)
    thread.start()
    caplog.clear()
    try:
        with configured(empty.url), django_capture_on_commit_callbacks(execute=True):
            front_cache.forget_everything()
    finally:
        empty.shutdown()
        empty.server_close()
    assert ("clinic.example", article.url) in empty.purged
    assert "did not forget" not in caplog.text


@pytest.mark.django_db
def test_an_unpublished_page_is_forgotten_at_its_old_address(
    article, listener, django_capture_on_commit_callbacks
):
    with configured(listener.url), django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    assert ("clinic.example", article.url) in listener.purged


@pytest.mark.django_db
def test_after_a_deploy_one_command_forgets_every_page(article, listener):
    out = io.StringIO()
    with configured(listener.url):
        call_command("purge_front_cache", stdout=out)
    assert ("clinic.example", article.url) in listener.purged
    assert f"forget {len(listener.purged)} addresses" in out.getvalue()
