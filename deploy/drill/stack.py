"""The drill's servers, each started here and stopped here by its process id.

Everything listens on 127.0.0.1 and lives in one throwaway folder: a PostgreSQL cluster
of its own (the machine's PostgreSQL programs, a new data folder, so restarting it
touches nobody else's databases), a Redis of its own (so it can be stopped), nginx with
deploy/nginx/practice.conf, two gunicorn app servers and two task workers started with
the commands of deploy/systemd/, and a real SMTP server in this process (aiosmtpd).
"""

from __future__ import annotations

import base64
import contextlib
import glob
import os
import pwd
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from aiosmtpd.controller import Controller
from inbox import Inbox

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
PYTHON = ROOT / ".venv" / "bin" / "python"

DRILL_SETTINGS = """\
# Production settings; only the paths and the waiting times differ (see deploy/drill/).
import datetime as dt
import os

from practice.settings.production import *  # noqa: F403

STATIC_ROOT = {folder!r} + "/static"
MEDIA_ROOT = os.environ.get("DRILL_MEDIA_ROOT", {media!r})
# "Ten minutes" of mail trouble shortened: retries after 1 s, 2 s, then every 3 s.
TASK_RETRY_FIRST_DELAY = dt.timedelta(seconds=1)
TASK_RETRY_MAX_DELAY = dt.timedelta(seconds=3)
"""

# Debian's libnginx-mod-http-cache-purge (its nginx.conf loads it from modules-enabled/).
PURGE_MODULE = "/usr/lib/nginx/modules/ngx_http_cache_purge_module.so"
NGINX_MAIN = """\
load_module {purge_module};
daemon off;
worker_processes 1;
pid {folder}/nginx/nginx.pid;
error_log {folder}/nginx/error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {folder}/nginx/body;
    proxy_temp_path {folder}/nginx/proxy;
    fastcgi_temp_path {folder}/nginx/fastcgi;
    uwsgi_temp_path {folder}/nginx/uwsgi;
    scgi_temp_path {folder}/nginx/scgi;
    # The drill only: which app server answered, and what the front cache did.
    add_header X-Drill-Upstream $upstream_addr always;
    add_header X-Drill-Cache $upstream_cache_status always;
    include {folder}/nginx/practice.conf;
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, seconds: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"a process stopped before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {seconds:.0f} s")


def unit_command(unit: str) -> list[str]:
    """The ExecStart of a shipped systemd unit, for this checkout instead of /srv/practice."""
    return shlex.split(unit_setting(unit, "ExecStart").replace("/srv/practice", str(ROOT)))


def unit_setting(unit: str, name: str) -> str | None:
    """A ``Name=value`` line of a shipped systemd unit, e.g. the worker's ``Nice``."""
    text = (DEPLOY / "systemd" / unit).read_text()
    prefix = f"{name}="
    return next(
        (line.removeprefix(prefix) for line in text.splitlines() if line.startswith(prefix)),
        None,
    )


# Each of the drill's two app servers, sharing one machine: half the unit's processes.
APP_PROCESSES = 2


def app_server_shape() -> str:
    """What each of the drill's app servers runs, e.g. "2 processes x 2 threads"."""
    command = unit_command("practice-web.service")
    threads = command[command.index("--threads") + 1]
    return f"{APP_PROCESSES} processes x {threads} threads"


def session_lower(pid: int, nice: str) -> None:
    """Gives the session ``pid`` leads the nice value ``nice`` against the other sessions.

    Every process here leads a session of its own (``spawn``). With the kernel's autogroup
    scheduling (on by default), the CPU is shared between sessions first, and a process's
    nice counts only within its own: nice 10 alone left the workers an equal share beside
    each app server. The session's own nice (proc(5), /proc/PID/autogroup) ranks it among
    the others, as the unit's CPUWeight= ranks systemd's units."""
    # Without autogroup scheduling there is no such file: the process's nice ranks it.
    with contextlib.suppress(OSError):
        Path(f"/proc/{pid}/autogroup").write_text(nice)


def replace_option(command: list[str], option: str, value: str) -> list[str]:
    index = command.index(option)
    return [*command[: index + 1], value, *command[index + 2 :]]


class Stack:
    def __init__(self, folder: Path):
        self.folder = folder
        self.media = str(folder / "media")
        self.ports = {
            name: free_port()
            for name in ("postgres", "redis", "smtp", "https", "http", "purge", "app_a", "app_b")
        }
        self.processes: dict[str, subprocess.Popen] = {}
        self.inbox = Inbox()
        self.smtp: Controller | None = None
        self.pg_bin = self._postgres_programs()
        self.key = base64.urlsafe_b64encode(os.urandom(32)).decode()
        self.database = "practice_drill"
        self.env = self._environment()

    # --- Environment ---------------------------------------------------------------------

    def _environment(self) -> dict[str, str]:
        (self.folder / "drill_settings.py").write_text(
            DRILL_SETTINGS.format(folder=str(self.folder), media=self.media)
        )
        env = {
            key: value
            for key, value in os.environ.items()
            if key in {"PATH", "HOME", "LANG", "LC_ALL", "TERM"}
        }
        env.update(
            {
                "PYTHONPATH": os.pathsep.join([str(self.folder), str(ROOT)]),
                "DJANGO_SETTINGS_MODULE": "drill_settings",
                "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": "127.0.0.1",
                "SITE_URL": f"https://127.0.0.1:{self.ports['https']}",
                "DATABASE_URL": self.database_url(self.database),
                "CACHE_URL": f"redis://127.0.0.1:{self.ports['redis']}/0",
                "EMAIL_URL": f"smtp://127.0.0.1:{self.ports['smtp']}?timeout=3",
                "INTAKE_ENCRYPTION_KEYS": self.key,
                "TRUSTED_PROXIES": "127.0.0.1",
                "FRONT_CACHE_PURGE_URL": f"http://127.0.0.1:{self.ports['purge']}",
                "LOG_LEVEL": "ERROR",
            }
        )
        return env

    def database_url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.ports['postgres']}/{name}"

    def manage(self, *args: str, env: dict | None = None, check: bool = True):
        return subprocess.run(
            [str(PYTHON), "manage.py", *args],
            cwd=ROOT,
            env=env or self.env,
            capture_output=True,
            text=True,
            check=check,
            timeout=300,
        )

    # --- PostgreSQL: a cluster of its own ------------------------------------------------

    @staticmethod
    def _postgres_programs() -> Path:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version)
        if not found:
            raise RuntimeError(
                "PostgreSQL's programs are not installed (apt-get install postgresql)"
            )
        return Path(found[-1]).parent

    def _as_postgres(self, *command: str) -> list[str]:
        # PostgreSQL refuses to run as root: the cluster belongs to the postgres user.
        return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else list(command)

    def start_postgres(self) -> None:
        data = self.folder / "pg"
        data.mkdir()
        if os.geteuid() == 0:
            account = pwd.getpwnam("postgres")
            os.chown(data, account.pw_uid, account.pw_gid)
        initdb = [str(self.pg_bin / "initdb"), "-D", str(data), "-U", "postgres"]
        subprocess.run(
            self._as_postgres(*initdb, "--auth=trust", "--no-sync"),
            check=True,
            capture_output=True,
        )
        self._pg_ctl("start")
        self.createdb(self.database)

    def _pg_ctl(self, action: str) -> None:
        options = (
            f"-p {self.ports['postgres']} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.folder / 'pg'} -c max_connections=200"
        )
        command = [str(self.pg_bin / "pg_ctl"), "-D", str(self.folder / "pg"), "-w", "-t", "60"]
        if action != "stop":
            command += ["-o", options, "-l", str(self.folder / "pg" / "server.log")]
        if action != "start":
            command += ["-m", "fast"]
        subprocess.run(self._as_postgres(*command, action), check=True, capture_output=True)

    def restart_postgres(self) -> None:
        self._pg_ctl("restart")

    def postgres_pid(self) -> int | None:
        pid_file = self.folder / "pg" / "postmaster.pid"
        return int(pid_file.read_text().split()[0]) if pid_file.exists() else None

    def pg(self, program: str, *args: str) -> subprocess.CompletedProcess:
        command = [str(self.pg_bin / program), "-h", "127.0.0.1", "-p", str(self.ports["postgres"])]
        return subprocess.run(
            [*command, "-U", "postgres", *args], check=True, capture_output=True, timeout=300
        )

    def createdb(self, name: str) -> None:
        self.pg("createdb", name)

    # --- Redis, nginx, SMTP --------------------------------------------------------------

    def start_redis(self) -> None:
        command = [
            "redis-server",
            "--port",
            str(self.ports["redis"]),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--logfile",
            str(self.folder / "redis.log"),
        ]
        self.spawn("redis", command)
        wait_for_port(self.ports["redis"], 10, self.processes["redis"])

    def start_nginx(self) -> None:
        nginx = self.folder / "nginx"
        nginx.mkdir(exist_ok=True)
        (nginx / "nginx.conf").write_text(
            NGINX_MAIN.format(folder=self.folder, purge_module=PURGE_MODULE)
        )
        (nginx / "practice.conf").write_text(self._site_config())
        self._certificate()
        command = ["nginx", "-p", str(nginx), "-c", str(nginx / "nginx.conf")]
        test = subprocess.run([*command, "-t"], capture_output=True, text=True)
        if test.returncode != 0:
            raise RuntimeError(f"nginx refused the site configuration:\n{test.stderr}")
        self.spawn("nginx", command)
        wait_for_port(self.ports["https"], 10, self.processes["nginx"])

    def _site_config(self) -> str:
        """deploy/nginx/practice.conf with loopback ports, this folder and a throwaway
        certificate in place of the operator's; every replacement must find its text."""
        text = (DEPLOY / "nginx" / "practice.conf").read_text()
        https, http = self.ports["https"], self.ports["http"]
        replacements = [
            (
                "    server 127.0.0.1:8000;\n",
                f"    server 127.0.0.1:{self.ports['app_a']};\n"
                f"    server 127.0.0.1:{self.ports['app_b']};\n",
            ),
            ("    listen 80;\n    listen [::]:80;\n", f"    listen 127.0.0.1:{http};\n"),
            (
                "    listen 443 ssl;\n    listen [::]:443 ssl;\n",
                f"    listen 127.0.0.1:{https} ssl;\n",
            ),
            ("/etc/letsencrypt/live/clinic.example/fullchain.pem", str(self.folder / "tls.crt")),
            ("/etc/letsencrypt/live/clinic.example/privkey.pem", str(self.folder / "tls.key")),
            ("/var/log/nginx/practice.", f"{self.folder}/nginx/practice."),
            ("/srv/practice/media/", self.media + "/"),
            ("/srv/practice/staticfiles/", f"{self.folder}/static/"),
            ("server_name clinic.example;", "server_name 127.0.0.1;"),
            ("https://$host$request_uri", f"https://$host:{https}$request_uri"),
            ("/var/cache/nginx/practice", f"{self.folder}/nginx/cache"),
            ("listen 127.0.0.1:8088;", f"listen 127.0.0.1:{self.ports['purge']};"),
        ]
        for old, new in replacements:
            if old not in text:
                raise RuntimeError(f"deploy/nginx/practice.conf no longer contains {old.strip()!r}")
            text = text.replace(old, new)
        return text

    def _certificate(self) -> None:
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
                "-keyout",
                str(self.folder / "tls.key"),
                "-out",
                str(self.folder / "tls.crt"),
            ],
            check=True,
            capture_output=True,
        )

    def start_smtp(self) -> None:
        self.smtp = Controller(self.inbox, hostname="127.0.0.1", port=self.ports["smtp"])
        self.smtp.start()

    def stop_smtp(self) -> None:
        if self.smtp is not None:
            self.smtp.stop()
            self.smtp = None

    # --- The app servers and the workers -------------------------------------------------

    def start_app(self, name: str, port: int, env: dict | None = None) -> None:
        command = unit_command("practice-web.service")
        command = replace_option(command, "--bind", f"127.0.0.1:{port}")
        command = replace_option(command, "--workers", str(APP_PROCESSES))
        self.spawn(name, command, env=env)
        wait_for_port(port, 60, self.processes[name])

    def start_worker(self, number: int, env: dict | None = None) -> str:
        name = f"worker {number}"
        command = [
            part.replace("%H-%i", f"drill-{number}")
            for part in unit_command("practice-worker@.service")
        ]
        command[0] = str(PYTHON)
        nice = unit_setting("practice-worker@.service", "Nice")
        if nice:
            command = ["nice", "-n", nice, *command]  # as systemd sets it (nice execs)
        self.spawn(name, command, env=env)
        if nice:
            session_lower(self.processes[name].pid, nice)
        return name

    def spawn(self, name: str, command: list[str], env: dict | None = None) -> None:
        log = open(self.folder / f"{name.replace(' ', '-')}.log", "ab")  # noqa: SIM115
        self.processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env or self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: stopping it stops its children
        )

    def stop(self, name: str, sig: int = signal.SIGTERM) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=20)
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)

    def stop_everything(self) -> list[str]:
        """Stops what this drill started, by process id; returns what was still running."""
        left = []
        for name in list(self.processes):
            self.stop(name)
        self.stop_smtp()
        if (self.folder / "pg" / "postmaster.pid").exists():
            self._pg_ctl("stop")
        for name, process in self.processes.items():
            if process.poll() is None:
                left.append(name)
        return left

    def cleanup(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _version(path: str) -> tuple[int, ...]:
    match = re.search(r"/postgresql/([\d.]+)/", path)
    return tuple(int(part) for part in match.group(1).split(".")) if match else (0,)
