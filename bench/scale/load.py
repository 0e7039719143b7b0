"""Pages under load: gunicorn on loopback, 20 signed-in clients at once, p50 and p95.

Each client is a different person (the busiest workers, and counsellors for the queue),
signed in as after a full sign-in (password and a verified second factor: a session made
here, as tests/conftest.py does). Every client goes round its pages, the floor first: an
authenticated trivial view (`/banc/plancher/`, bench/scale/urls.py) through the same server
and middlewares, so that the floor and the pages share the load of the moment.
"""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import tempfile
import threading
import time
from importlib import import_module
from pathlib import Path

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "20"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "6"))
FLOOR = "floor"
FLOOR_URL = "/banc/plancher/"  # bench/scale/urls.py


def session_for(user) -> str:
    """A session key as after a full sign-in (password, then a verified second factor)."""
    from django.conf import settings

    from polesocial.users.signed_in import write_signed_in

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    write_signed_in(store, user, device_name="Banc")
    store.create()
    return store.session_key


def worker_pages(worker) -> dict[str, str]:
    """The floor and a worker's pages: dashboard, case list, a name search, a case."""
    from polesocial.casework.models import Case

    case = Case.objects.filter(worker=worker, status="open").order_by("-opened_on").first()
    case = case or Case.objects.filter(worker=worker).order_by("-opened_on").first()
    return {
        FLOOR: FLOOR_URL,
        "dashboard_page": "/",
        "case_list_page": "/dossiers/",
        "name_search_page": f"/dossiers/?q={case.employee.last_name}",
        "case_page": f"/dossiers/{case.pk}/",
    }


def counsellor_pages() -> dict[str, str]:
    return {FLOOR: FLOOR_URL, "queue_page": "/saisines/file/", "dashboard_page": "/"}


def _clients() -> list[tuple[object, dict[str, str]]]:
    """The busiest workers, and one counsellor in five clients."""
    from django.db.models import Count

    from polesocial.organisations.models import SocialWorker, Team

    workers = list(
        SocialWorker.objects.select_related("user")
        .annotate(n=Count("cases"))
        .order_by("-n", "pk")[: CLIENTS - CLIENTS // 5]
    )
    counsellors = [
        team.counsellor for team in Team.objects.select_related("counsellor")[: CLIENTS // 5]
    ]
    return [(w.user, worker_pages(w)) for w in workers] + [
        (c, counsellor_pages()) for c in counsellors
    ]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def query_counts(pages: dict[str, str], user) -> dict[str, int]:
    """SQL queries of one display of each page (after a first, warming one), per page."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.cookies["sessionid"] = session_for(user)
    counts = {}
    for name, url in pages.items():
        client.get(url)  # warm: a first request reads what later ones find cached
        with CaptureQueriesContext(connection) as captured:
            answer = client.get(url)
        if answer.status_code != 200:
            raise RuntimeError(f"{name} ({url}) répond {answer.status_code}.")
        counts[name] = len(captured)
    return counts


def pages() -> dict:
    """p50 and p95 per page under CLIENTS concurrent clients, each against the floor."""
    from django.conf import settings
    from django.db import connection

    from stress.app import App

    clients = [(user, urls, session_for(user)) for user, urls in _clients()]
    # The busiest worker's pages and a counsellor's: both have a dashboard, and a page's
    # count is the larger of the two (a per-row query in either shows).
    by_client = {}
    for who, (user, urls, _key) in (("worker", clients[0]), ("counsellor", clients[-1])):
        by_client[who] = query_counts({k: v for k, v in urls.items() if k != FLOOR}, user)
    queries = {}
    for counts in by_client.values():
        for name, count in counts.items():
            queries[name] = max(queries.get(name, 0), count)
    url = os.environ["DATABASE_URL"]
    connection.close()
    app = App(url, Path(tempfile.mkdtemp(prefix="polesocial-bench-")), _free_port())
    app.env["DJANGO_SETTINGS_MODULE"] = os.environ["DJANGO_SETTINGS_MODULE"]
    os.environ["STRESS_WORKERS"] = os.environ.get("BENCH_WORKERS", "4")
    app.start_server()
    samples: dict[str, list[float]] = {}
    errors: list[str] = []
    lock = threading.Lock()
    cookie = settings.SESSION_COOKIE_NAME

    def client(urls: dict[str, str], key: str) -> None:
        link = http.client.HTTPConnection("127.0.0.1", app.http_port, timeout=120)
        for _ in range(ROUNDS):
            for name, path in urls.items():
                started = time.perf_counter()
                try:
                    link.request("GET", path, headers={"Cookie": f"{cookie}={key}"})
                    answer = link.getresponse()
                    answer.read()
                    status = answer.status
                except (OSError, http.client.HTTPException) as error:
                    status = f"{type(error).__name__}"
                    link.close()
                    link = http.client.HTTPConnection("127.0.0.1", app.http_port, timeout=120)
                elapsed = time.perf_counter() - started
                with lock:
                    if status == 200:
                        samples.setdefault(name, []).append(elapsed)
                    else:
                        errors.append(f"{name} {path} : {status}")
        link.close()

    started = time.perf_counter()
    try:
        threads = [
            threading.Thread(target=client, args=(urls, key)) for _user, urls, key in clients
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        app.stop_server()
    floor_p50 = statistics.median(samples[FLOOR])
    floor_p95 = _percentile(samples[FLOOR], 0.95)
    rows = {}
    for name, values in samples.items():
        if name == FLOOR:
            continue
        p50, p95 = statistics.median(values), _percentile(values, 0.95)
        rows[name] = {
            "requests": len(values),
            "p50_ms": round(p50 * 1000, 1),
            "p95_ms": round(p95 * 1000, 1),
            "ratio_p50": round(p50 / floor_p50, 2),
            "ratio_p95": round(p95 / floor_p95, 2),
            "queries": queries.get(name),
            "queries_by_client": {w: c[name] for w, c in by_client.items() if name in c},
        }
    return {
        "pages": rows,
        "page_floor": {
            "url": FLOOR_URL,
            "p50_ms": round(floor_p50 * 1000, 1),
            "p95_ms": round(floor_p95 * 1000, 1),
            "requests": len(samples[FLOOR]),
        },
        "load": {
            "clients": len(clients),
            "rounds": ROUNDS,
            "gunicorn_workers": int(os.environ["STRESS_WORKERS"]),
            "seconds": round(time.perf_counter() - started, 1),
            "errors": errors,
        },
    }
