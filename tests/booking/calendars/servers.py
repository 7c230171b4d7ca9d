"""The calendar servers the tests read from, all on loopback: Radicale (a real CalDAV
server, from PyPI) in a process of its own, and a plain HTTP server for ICS files."""

from __future__ import annotations

import hashlib
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.support import free_port


class RadicaleServer:
    """Radicale with one user (plain htpasswd), its storage in ``folder``."""

    user = "rosa"
    password = "app-pw-SECRET-7d41"

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.process: subprocess.Popen | None = None

    def start(self, wait: float = 20.0) -> bool:
        users = self.folder / "users"
        users.write_text(f"{self.user}:{self.password}\n")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "radicale",
                f"--storage-filesystem-folder={self.folder / 'collections'}",
                f"--server-hosts=127.0.0.1:{self.port}",
                "--auth-type=htpasswd",
                f"--auth-htpasswd-filename={users}",
                "--auth-htpasswd-encryption=plain",
                "--logging-level=error",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return True
            except OSError:
                time.sleep(0.1)
        return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def client(self):
        import caldav

        return caldav.DAVClient(
            url=self.url,
            username=self.user,
            password=self.password,
            enable_rfc6764=False,
            timeout=10,
        )


class IcsServer:
    """Serves ``files`` (path → bytes) with an ETag, answering If-None-Match with 304;
    ``delay`` seconds before each answer; every request kept in ``requests``."""

    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.delay = 0.0
        self.requests: list[tuple[str, dict[str, str]]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests.append((self.path, dict(self.headers)))
                time.sleep(outer.delay)
                body = outer.files.get(self.path)
                if body is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/calendar; charset=utf-8")
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False  # a delayed answer must not hold up the test's end
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> IcsServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
