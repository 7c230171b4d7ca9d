"""The production drill: the site as deploy/ sets it up, started on loopback and broken on
purpose. `make drill` runs it; two to four minutes on 2 cores.

It starts, in a throwaway folder, PostgreSQL (a cluster of its own, made with the
machine's PostgreSQL programs, so that restarting it disturbs nobody), Redis, nginx with
deploy/nginx/practice.conf, two gunicorn app servers and two task workers with the
commands of deploy/systemd/, production settings (practice.settings.production; only the
folder's paths and the mail retry delays differ) and a real SMTP server on loopback. Then
it checks what docs and issue 17 promise, printing each result with its figure, and stops
everything it started, by process id. Exit status 1 when any check fails.

Only 127.0.0.1 is used. Run it as root: nginx is installed with apt-get when missing, and
the PostgreSQL cluster is made and run as the postgres user. It also needs redis-server,
PostgreSQL's programs and openssl.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import checks
import failures
import inside
import restore
from checks import Drill, Report
from stack import PURGE_MODULE, ROOT, Stack, app_server_shape

STEPS = [
    ("Configuration", checks.configuration),
    ("nginx in front", checks.nginx),
    ("A publish and the shared cache", checks.publish_seen_everywhere),
    ("Twenty patients, one time", checks.race),
    ("Two hundred emails", checks.emails),
    ("A worker killed mid-send", checks.killed_worker),
    ("A moved appointment's reminder", checks.moved_reminder),
    ("PostgreSQL restarted under traffic", failures.postgres_restart),
    ("Redis stopped", failures.redis_stopped),
    ("A flood of made-up addresses, and a full Redis", failures.page_flood),
    ("The mail server down", failures.smtp_down),
    ("Backup and restore", restore.backup_and_restore),
]


class Supervisor(threading.Thread):
    """What systemd does for the workers (Restart=always, RestartSec=3 in
    deploy/systemd/practice-worker@.service): a worker that exits is started again."""

    def __init__(self, stack: Stack):
        super().__init__(daemon=True)
        self.stack = stack
        self.stopping = threading.Event()
        self.restarts: list[str] = []

    def run(self) -> None:
        while not self.stopping.wait(0.5):
            for name, process in list(self.stack.processes.items()):
                if name.startswith("worker ") and process.poll() is not None:
                    code = process.returncode
                    self.stack.processes.pop(name, None)
                    print(
                        f"    ({name} exited with status {code}; started again in 3 s, as "
                        "systemd's Restart=always would)",
                        flush=True,
                    )
                    self.restarts.append(f"{name} (status {code})")
                    if not self.stopping.wait(3):
                        self.stack.start_worker(int(name.split()[-1]))


def prerequisites() -> list[str]:
    missing = []
    if not (shutil.which("nginx") and Path(PURGE_MODULE).exists()) and os.geteuid() == 0:
        print("Installing nginx and its cache-purge module with apt-get …", flush=True)
        install = ["apt-get", "install", "-y", "-qq", "nginx", "libnginx-mod-http-cache-purge"]
        if subprocess.run(install, capture_output=True).returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], capture_output=True)
            subprocess.run(install, capture_output=True)
    for program in ("nginx", "redis-server", "openssl"):
        if shutil.which(program) is None:
            missing.append(program)
    if not Path(PURGE_MODULE).exists():
        missing.append("libnginx-mod-http-cache-purge")
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        missing.append("postgresql (its programs under /usr/lib/postgresql)")
    return missing


def prepare(stack: Stack) -> None:
    started = time.perf_counter()
    stack.start_postgres()
    stack.start_redis()
    stack.start_smtp()
    collect = subprocess.Popen(
        [str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=stack.env,
    )
    stack.manage("migrate", "--noinput", "-v0")
    stack.manage("createcachetable")
    stack.manage("load_demo_content")
    stack.manage("sync_site_url")
    stack.manage("schedule_periodic_tasks")
    if collect.wait(timeout=300) != 0:
        raise RuntimeError("collectstatic failed")
    os.chmod(stack.folder, 0o755)  # nginx's workers read the static and media files
    inside.setup(stack.env, stack.folder, ROOT)
    stack.start_app("app A", stack.ports["app_a"])
    stack.start_app("app B", stack.ports["app_b"])
    stack.start_worker(1)
    stack.start_worker(2)
    stack.start_nginx()
    print(
        f"Started in {time.perf_counter() - started:.0f} s (migrated a fresh PostgreSQL "
        "database, loaded the demo content, collected the static files).",
        flush=True,
    )


def describe(stack: Stack) -> None:
    ports = stack.ports
    load = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    print(
        f"Machine: {os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}, load average {load}"
    )
    print(
        f"nginx https://127.0.0.1:{ports['https']} (plain HTTP {ports['http']}) -> "
        f"gunicorn A 127.0.0.1:{ports['app_a']}, B 127.0.0.1:{ports['app_b']} "
        f"({app_server_shape()} each); 2 task workers; PostgreSQL {stack.pg_bin.parent.name} "
        f"on {ports['postgres']}; Redis on {ports['redis']}; SMTP on {ports['smtp']}"
    )
    print(f"Folder: {stack.folder}\n", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the folder (logs) afterwards")
    options = parser.parse_args()
    if missing := prerequisites():
        print(
            "The drill needs: " + ", ".join(missing) + " (apt-get install nginx redis-server "
            "postgresql openssl)."
        )
        return 2
    folder = Path(tempfile.mkdtemp(prefix="practice-drill-"))
    os.chmod(folder, 0o755)
    stack = Stack(folder)
    report = Report()
    supervisor = Supervisor(stack)
    began = time.perf_counter()
    try:
        prepare(stack)
        describe(stack)
        supervisor.start()
        drill = Drill(stack, report)
        for title, step in STEPS:
            print(f"{title}", flush=True)
            step_began = time.perf_counter()
            try:
                step(drill)
            except Exception as error:  # one broken step must not hide the others
                report.check(title, False, f"{type(error).__name__}: {error}")
            print(f"    ({time.perf_counter() - step_began:.0f} s)", flush=True)
        if supervisor.restarts:
            print(f"Workers restarted by the supervisor: {', '.join(supervisor.restarts)}")
    finally:
        supervisor.stopping.set()
        supervisor.join(timeout=5)
        pids = [process.pid for process in stack.processes.values()]
        postgres = stack.postgres_pid()
        left = stack.stop_everything()
        still = [pid for pid in [*pids, postgres] if pid and _alive(pid)]
        print(
            f"\nStopped everything it started ({len(pids)} process groups and PostgreSQL); "
            f"still running: {still or left or 'nothing'}."
        )
        if options.keep:
            print(f"Logs kept in {folder}")
        else:
            stack.cleanup()
    failed = report.failed
    print(
        f"{len(report.results) - len(failed)} of {len(report.results)} checks passed in "
        f"{time.perf_counter() - began:.0f} s."
        + (f" Failed: {'; '.join(failed)}" if failed else "")
    )
    return 1 if failed else 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie of ours still counts as stopped.
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "State:\tZ" not in status.read_text()


if __name__ == "__main__":
    sys.exit(main())
