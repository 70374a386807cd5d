"""Capacity: requests per second per core for an HR read mix and a supervisor page mix, next
to the same gunicorn serving a bare Django view, each run closed-loop (no think time) by
loadtest/capacity.sh one after the other; then a login ramp with the two mixes running, where
the figure is the p95 of the non-login requests.

Pick the users on the command line: `BareView`, `HrReads`, `SupervisorPages`, and for the
ramp `HrReads SupervisorPages LoginRamp`.
"""

import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, constant, events, task

from loadtest.locustfile import PROXY, _Browser

CAST = json.loads(Path(os.environ["LOAD_CAST"]).read_text())


class BareView(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.client.headers.update(PROXY)

    @task
    def bare(self):
        self.client.get("/loadtest/bare/", name="bare view")


class HrReads(HttpUser):
    """An HR system reading: people, observations, a person's protected metrics."""

    wait_time = constant(0)

    def on_start(self):
        self.client.headers.update({**PROXY, "Authorization": f"Bearer {CAST['token']}"})
        people = self.client.get("/api/v1/people/?page_size=100", name="/api/v1/people/").json()
        self.people = [p["external_id"] for p in people["results"]] or ["none"]

    @task(3)
    def people(self):
        self.client.get("/api/v1/people/", name="/api/v1/people/")

    @task(3)
    def observations(self):
        self.client.get("/api/v1/observations/", name="/api/v1/observations/")

    @task(2)
    def protected_metrics(self):
        person = random.choice(self.people)
        self.client.get(
            f"/api/v1/people/{person}/protected-metrics/"
            "?period_start=2026-09-01&period_end=2026-09-30",
            name="/api/v1/people/[id]/protected-metrics/",
        )


class SupervisorPages(_Browser):
    """A supervisor looking at the pages they use: their coaching list and a cycle."""

    wait_time = constant(0)

    def on_start(self):
        self.username = random.choice(CAST["supervisors"] or ["leader"])
        super().on_start()
        self.cycles = []

    @task(2)
    def coaching(self):
        page = self._get("/coaching/", name="/coaching/")
        self.cycles = re.findall(r"/coaching/cycles/(\d+)/", page.text) or self.cycles

    @task(1)
    def cycle(self):
        if self.cycles:
            self._get(
                f"/coaching/cycles/{random.choice(self.cycles)}/", name="/coaching/cycles/[id]/"
            )


class LoginRamp(_Browser):
    """People logging in over and over (the morning rush): each task is a fresh login."""

    wait_time = constant(0)
    weight = 2

    def on_start(self):
        self.username = random.choice(CAST["supervisors"] or ["leader"])

    @task
    def log_in(self):
        self.cookies = {}
        _Browser.on_start(self)


LOGIN_NAMES = {"login page", "log in"}


@events.quitting.add_listener
def _report(environment, **kwargs):
    stats = environment.stats
    cores = os.cpu_count() or 1
    others = [e for (name, _), e in stats.entries.items() if name not in LOGIN_NAMES]
    times = {}
    for entry in others:
        for ms, count in entry.response_times.items():
            times[ms] = times.get(ms, 0) + count
    total = sum(times.values())
    p95, seen = 0, 0
    for ms in sorted(times):
        seen += times[ms]
        if seen >= 0.95 * total:
            p95 = ms
            break
    non_login_rps = sum(e.total_rps for e in others)
    print(
        f"CAPACITY rps={stats.total.total_rps:.1f} rps_per_core={stats.total.total_rps / cores:.1f}"
        f" non_login_rps={non_login_rps:.1f} non_login_p95_ms={p95}"
        f" failures={stats.total.num_failures} requests={stats.total.num_requests}"
    )
