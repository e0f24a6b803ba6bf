"""The cluster load test's users (locust, headless, loopback only; run by ``bench.cluster``).

Five kinds of traffic, each request named ``<kind>: <page>`` so the summary
can total requests, latency and errors per kind:

- ``portal``: the shared portal's home, a body's home, catalogue, item list
  and item pages (items spread round-robin over the bodies, as loaded by
  ``bench.cluster.dataset``);
- ``search``: the search bench's query mix, across all bodies and within one;
- ``apply``: the real online application form (GET for the CSRF token, POST,
  the receipt page).  Every acknowledged application — the receipt page shows
  its tracking code — is appended to ``acknowledged.tsv`` at once, so the
  orchestrator can check each one is stored;
- ``status``: the status look-up with a tracking code acknowledged earlier and
  the last 4 digits of its phone number (the answer must show that code);
- ``backoffice``: the publish flow through the real forms: a clerk creates an
  item and submits it, the reviewer passes the 保密审查, the approver approves
  (which publishes a 主动公开 item), then the public item page must show it.

Every failed request is also appended to ``failures.tsv`` with its time, so
the orchestrator can tell errors around the app-server kill from the others.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import random
import re
import tempfile
import threading
import time
from pathlib import Path

from bs4 import BeautifulSoup
from locust import HttpUser, between, events, task
from locust.clients import HttpSession

from bench.cluster.dataset import SLUG, STAFF_BODIES, STAFF_PASSWORD
from gongkai.search.tests.corpus import BENCH_QUERIES

BODIES = int(os.environ.get("CLUSTER_BODIES", "1000"))
ITEMS = int(os.environ.get("CLUSTER_ITEMS", "1000000"))
# bench.cluster sets CLUSTER_OUT to its scratch folder; run by hand, a fresh temporary one.
OUT = Path(os.environ.get("CLUSTER_OUT") or tempfile.mkdtemp(prefix="gongkai-locust-"))
RUN_ID = os.environ.get("CLUSTER_RUN_ID", "manual")

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RECEIPT_RE = re.compile(r"/apply/receipt/([^/]+)/$")
ITEM_RE = re.compile(r"/backoffice/disclosure/items/(\d+)/$")

_lock = threading.Lock()
_ack_file = (OUT / "acknowledged.tsv").open("a", encoding="utf-8", buffering=1)
_fail_file = (OUT / "failures.tsv").open("a", encoding="utf-8", buffering=1)
# (tracking code, last 4 phone digits) of acknowledged applications, for look-ups.
ACKNOWLEDGED: list[tuple[str, str]] = []
_sequence = itertools.count(1)
_staff_body = itertools.count(0)


@events.request.add_listener
def _record_failure(request_type, name, response_time, response_length, exception, **kw):
    if exception is not None:
        text = str(exception).replace("\t", " ").replace("\n", " ")[:300]
        with _lock:
            _fail_file.write(f"{time.time():.3f}\t{request_type}\t{name}\t{text}\n")


def _slug(k: int) -> str:
    return SLUG.format(k)


def _random_item() -> tuple[str, int]:
    """A loaded item and its body's slug (item pk p belongs to body (p - 1) % BODIES + 1)."""
    pk = random.randint(1, ITEMS)
    return _slug((pk - 1) % BODIES + 1), pk


def _csrf(html: str) -> str:
    found = CSRF_RE.search(html)
    return found.group(1) if found else ""


def id_number(seq: int) -> str:
    """A valid 18-digit resident ID (GB 11643: birth date and the mod 11-2 check)."""
    born = dt.date(1960, 1, 1) + dt.timedelta(days=seq % 15000)
    base = f"620102{born:%Y%m%d}{seq % 1000:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(base, weights, strict=True))
    return base + "10X98765432"[total % 11]


def form_fields(html: str) -> dict[str, str]:
    """The values a browser would send for the page's main form (the POST form
    with the most fields, not the header's log-out button), as first shown."""
    soup = BeautifulSoup(html, "lxml")
    forms = soup.select("form[method=post]")
    form = max(forms, key=lambda f: len(f.select("[name]")), default=None)
    data: dict[str, str] = {}
    if form is None:
        return data
    for el in form.select("input[name]"):
        kind = (el.get("type") or "text").lower()
        if kind in ("file", "submit", "button"):
            continue
        if kind in ("checkbox", "radio") and not el.has_attr("checked"):
            continue
        data[el["name"]] = el.get("value", "on" if kind == "checkbox" else "")
    for el in form.select("textarea[name]"):
        data[el["name"]] = el.get_text()
    for el in form.select("select[name]"):
        chosen = el.select_one("option[selected]") or el.select_one("option")
        data[el["name"]] = chosen.get("value", "") if chosen else ""
    return data


def _first_choice(html: str, name: str) -> str:
    soup = BeautifulSoup(html, "lxml")
    for option in soup.select(f"select[name={name}] option"):
        if option.get("value"):
            return option["value"]
    return ""


class PortalReader(HttpUser):
    """Someone reading the portal: pages of a body, its catalogue and its items."""

    weight = 10
    wait_time = between(0.5, 1.5)

    @task(1)
    def portal_home(self):
        self.client.get("/", name="portal: home")

    @task(3)
    def body_home(self):
        self.client.get(f"/{_slug(random.randint(1, BODIES))}/", name="portal: body home")

    @task(2)
    def catalogue(self):
        self.client.get(f"/{_slug(random.randint(1, BODIES))}/catalogue/", name="portal: catalogue")

    @task(2)
    def item_list(self):
        slug = _slug(random.randint(1, BODIES))
        page = random.choice(["", "?page=2", "?page=5"])
        self.client.get(f"/{slug}/items/{page}", name="portal: item list")

    @task(6)
    def item_page(self):
        slug, pk = _random_item()
        self.client.get(f"/{slug}/items/{pk}/", name="portal: item page")


class Searcher(HttpUser):
    """The search bench's query mix, over the whole platform and within one body."""

    weight = 4
    wait_time = between(0.5, 1.5)

    @task(3)
    def search_all(self):
        self.client.get("/search/", params={"q": random.choice(BENCH_QUERIES)}, name="search: all")

    @task(1)
    def search_body(self):
        params = {"q": random.choice(BENCH_QUERIES), "org": _slug(random.randint(1, BODIES))}
        self.client.get("/search/", params=params, name="search: one body")


class Applicant(HttpUser):
    """An online application (条例第二十九条) through the real form, receipt included."""

    weight = 2
    wait_time = between(0.5, 1.5)

    @task
    def apply(self):
        slug = _slug(random.randint(1, BODIES))
        page = self.client.get(f"/{slug}/apply/", name="apply: form")
        token = _csrf(page.text) if page.ok else ""
        if not token:
            return
        seq = next(_sequence)
        phone = f"139{random.randint(0, 99_999_999):08d}"
        data = {
            "csrfmiddlewaretoken": token,
            "applicant_type": "natural",
            "applicant_name": f"压测申请人{seq}",
            "id_number": id_number(seq),
            "phone": phone,
            "email": f"applicant{seq}@example.com",
            "address": "",
            "description": f"集约化压力测试 {RUN_ID} 第{seq}号申请：请公开本机关2024年低保资金发放情况。",
            "form_wanted": "electronic",
            "delivery": "email",
            "confirm": "on",
        }
        with self.client.post(
            f"/{slug}/apply/", data=data, name="apply: submit", catch_response=True
        ) as resp:
            found = RECEIPT_RE.search(resp.url or "")
            if resp.status_code != 200 or not found:
                resp.failure(f"no receipt (HTTP {resp.status_code}, {resp.url})")
                return
            code = found.group(1)
            if code not in resp.text:
                resp.failure("the receipt page does not show the tracking code")
                return
            resp.success()
        with _lock:
            _ack_file.write(f"{code}\t{phone[-4:]}\t{time.time():.3f}\n")
            ACKNOWLEDGED.append((code, phone[-4:]))


class StatusChecker(HttpUser):
    """Status look-ups of applications acknowledged earlier in the run."""

    weight = 2
    wait_time = between(0.5, 1.5)

    @task
    def status(self):
        with _lock:
            known = random.choice(ACKNOWLEDGED) if ACKNOWLEDGED else None
        page = self.client.get("/status/", name="status: form")
        if known is None or not page.ok:
            return
        code, last4 = known
        data = {
            "csrfmiddlewaretoken": _csrf(page.text),
            "tracking_code": code,
            "phone_last4": last4,
        }
        with self.client.post(
            "/status/", data=data, name="status: look-up", catch_response=True
        ) as resp:
            if resp.status_code != 200 or "查询结果" not in resp.text or code not in resp.text:
                resp.failure(f"application {code} not shown (HTTP {resp.status_code})")
            else:
                resp.success()


class BackOffice(HttpUser):
    """Clerk creates and submits, reviewer passes, approver approves (publishes)."""

    fixed_count = 2
    wait_time = between(1, 3)

    def on_start(self):
        self.body = next(_staff_body) % STAFF_BODIES + 1
        self.slug = _slug(self.body)
        self.sessions = {}
        for role in ("clerk", "reviewer", "approver"):
            session = HttpSession(
                base_url=self.host, request_event=self.environment.events.request, user=self
            )
            # A log-in that meets the killed app server is tried again.
            for _attempt in range(3):
                if self._login(session, f"{role}{self.body}"):
                    break
                time.sleep(2)
            self.sessions[role] = session

    def _login(self, session, username: str) -> bool:
        page = session.get("/backoffice/login/", name="backoffice: login form")
        data = {
            "csrfmiddlewaretoken": _csrf(page.text),
            "username": username,
            "password": STAFF_PASSWORD,
        }
        with session.post(
            "/backoffice/login/", data=data, name="backoffice: log in", catch_response=True
        ) as resp:
            if resp.status_code != 200 or "/backoffice/login/" in resp.url:
                resp.failure(f"log-in of {username} refused (HTTP {resp.status_code})")
                return False
            resp.success()
            return True

    def _post(self, role: str, path: str, name: str, data: dict | None = None):
        session = self.sessions[role]
        token = session.cookies.get("csrftoken", "")
        return session.post(
            path,
            data={"csrfmiddlewaretoken": token, **(data or {})},
            name=name,
            catch_response=True,
        )

    @task
    def publish(self):
        clerk = self.sessions["clerk"]
        form = clerk.get("/backoffice/disclosure/items/new/", name="backoffice: new item form")
        if not form.ok:
            return
        seq = next(_sequence)
        data = form_fields(form.text)
        data.update(
            title=f"关于集约化压力测试第{seq}批惠农补贴发放情况的公示",
            body=f"压力测试 {RUN_ID}：本次共涉及{seq % 300 + 3}户，发放资金{seq * 37 % 90000 + 1000}元。",
            formed_on=dt.date.today().isoformat(),
            attribute="proactive",
            category=data.get("category") or _first_choice(form.text, "category"),
        )
        with self._post(
            "clerk", "/backoffice/disclosure/items/new/", "backoffice: create", data
        ) as r:
            found = ITEM_RE.search(r.url or "")
            if r.status_code != 200 or not found:
                errors = BeautifulSoup(r.text, "lxml").select(".errorlist li, .notice-error")
                r.failure(f"item not created: {'; '.join(e.get_text() for e in errors)[:200]}")
                return
            pk = found.group(1)
            r.success()
        base = f"/backoffice/disclosure/items/{pk}"
        steps = [
            ("clerk", f"{base}/submit/", "backoffice: submit", None),
            ("reviewer", f"{base}/review/", "backoffice: review", f"{base}/review/"),
            ("approver", f"{base}/approval/", "backoffice: approve", f"{base}/approval/"),
        ]
        for role, path, name, page in steps:
            if page:
                self.sessions[role].get(page, name=f"{name} page")
            with self._post(role, path, name, {"comment": ""}) as r:
                if (
                    r.status_code != 200
                    or not r.url.rstrip("/").endswith(f"items/{pk}")
                    or "message-error" in r.text
                ):
                    r.failure(f"{name} of item {pk} failed (HTTP {r.status_code}, {r.url})")
                    return
                r.success()
        with self.client.get(
            f"/{self.slug}/items/{pk}/", name="backoffice: published page", catch_response=True
        ) as r:
            if r.status_code != 200 or "集约化压力测试" not in r.text:
                r.failure(f"published item {pk} not on the portal (HTTP {r.status_code})")
            else:
                r.success()
