"""Load benchmark: the opening rush of a 2,000-delegate event (issue 6).

    python bench/load.py                              # 500 users, 120 s, gunicorn + PostgreSQL
    python bench/load.py --users 100 --duration 30    # a quick look
    python bench/load.py --think 5,15                 # delegates twice as busy
    python bench/load.py --conn-max-age 0             # what-if: a new DB connection per request

What it does, each time from scratch:

1. (Re)creates the PostgreSQL database `superconnector_load` (--pg-url, --database) and
   migrates it.
2. Loads a generated 2,000-delegate fair (engine.synthetic: 1,250 organisations, 6,000
   opportunities in English and Chinese, four sessions of nine slots at 400 tables, 6,000
   requests) through the exchange import, schedules the accepted requests, publishes the
   schedule, and computes the recommendations with the *hashing* encoder
   (SUPERCONNECTOR_ENCODER=hashing: pages only read stored results, so the encoder does not
   change what is measured, and setup takes seconds instead of minutes).
3. Makes one-time sign-in links for the simulated delegates as invitations do
   (core.domain.signin), and passwords for a few of them (--password-share).
4. Starts gunicorn with the production settings (SUPERCONNECTOR_DEBUG=false, a secret key,
   allowed host 127.0.0.1, SUPERCONNECTOR_HTTPS=false for plain http on loopback) and runs
   Locust in this process against it. Users arrive at --spawn-rate per second and sign in as
   a browser does: the invitation link's page (with its style sheet and scripts), its button,
   the consent step of a first visit, then their recommendations; or e-mail and password.
   Then, --think seconds apart, they read recommendations, agenda, meetings, the directory
   (search as a page and as htmx results) and the API, send meeting requests through the
   form or from a recommendation, accept or decline what they received, and give feedback.
   --race-share of them race on purpose: at set moments pairs request each other at once,
   groups of four request the same person at once, and that person answers each request
   from two devices at the same instant (accept and accept, accept and decline, ...).
5. Prints per endpoint requests, failures, p50/p95/p99/max; the read and write p95 against
   the targets (300 ms, 800 ms); server errors (5xx); throughput; the CPU of gunicorn,
   PostgreSQL, Locust and everything else, since the machine may be shared. Then checks the
   database: nobody and no table in two meetings at overlapping times, meetings' seats match
   their requests, at most one open request per pair, no request answered twice. Password
   sign-ins are reported on their own (argon2 costs about 100 ms of CPU each, by design) and
   do not count towards the targets, nor do the static files. Exits 1 if a target is missed.

gunicorn is stopped at the end, also on errors and Ctrl-C; the database is kept for a look.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
BIN = Path(sys.executable).parent

TARGET_READ_P95_MS = 300.0
TARGET_WRITE_P95_MS = 800.0
SLUG = "load-fair-2000"
PASSWORD = "load-test-password-7431"
# The event: four half-day sessions of nine 20-minute slots, 400 tables each.
EVENT_SHAPE = {
    "sessions": 4,
    "slots_per_session": 9,
    "tables": 400,
    "requests_per_participant": 6.0,
}
# Race rounds: the first one once the racers (who arrive first) are signed in, then one
# every RACE_EVERY seconds until shortly before the end.
FIRST_RACE, RACE_EVERY = 20.0, 15.0
GROUP = 5  # a race group: one sought-after person and four who ask them
DIRECTORY_QUERIES = [
    "",
    "battery",
    "储能",
    "上市",
    "robot",
    "支付",
    "cold chain",
    "半导体",
    "listing counsel",
    "AI",
    "临床试验",
    "green bond",
    "物流",
    "芯片設計",
]


# --- setup and checks: run in child processes with Django configured ---------------------------


def django_env(args: argparse.Namespace, data_dir: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "superconnector.settings",
        "SUPERCONNECTOR_DATABASE_URL": database_url(args),
        "SUPERCONNECTOR_DEBUG": "false",
        "SUPERCONNECTOR_SECRET_KEY": "load-benchmark-secret-key-not-for-production-0123456789",
        "SUPERCONNECTOR_ALLOWED_HOSTS": "127.0.0.1",
        "SUPERCONNECTOR_HTTPS": "false",
        "SUPERCONNECTOR_ENCODER": "hashing",
        "SUPERCONNECTOR_DATA_DIR": data_dir,
        "SUPERCONNECTOR_CONFIG_FILE": "",
        "PYTHONPATH": str(ROOT / "src"),
    }


def server_url(args: argparse.Namespace, database: str) -> str:
    """--pg-url with `database` instead of whatever database it names."""
    parts = urlsplit(args.pg_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, ""))


def database_url(args: argparse.Namespace) -> str:
    return server_url(args, args.database)


def recreate_database(args: argparse.Namespace) -> None:
    import psycopg

    with psycopg.connect(server_url(args, "postgres"), autocommit=True) as connection:
        name = args.database.replace('"', "")
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def setup_event(args: argparse.Namespace) -> dict:
    """In a Django process: the event, its schedule and recommendations, users and links."""
    import django

    django.setup()
    from django.contrib.auth.hashers import check_password, make_password
    from django.db import connection
    from django.urls import reverse

    from superconnector.core.domain.signin import create_sign_in_link
    from superconnector.directory.domain.invitations import (
        INVITATION_LIFETIME,
        user_for_participant,
    )
    from superconnector.directory.models import Participant
    from superconnector.engine.synthetic import generate_event
    from superconnector.events.models import Event
    from superconnector.exchange.importer import import_document
    from superconnector.matchmaking.domain.matching import ensure_recommendations
    from superconnector.meetings.domain.publish import publish_schedule
    from superconnector.meetings.domain.schedule import schedule_event
    from superconnector.meetings.models import ACTIVE_STATUSES, MeetingRequest

    timings = {}
    started = time.perf_counter()
    document = generate_event(args.participants, seed=args.seed, slug=SLUG, **EVENT_SHAPE)
    import_document(document, source="bench/load.py")
    timings["import"] = time.perf_counter() - started

    event = Event.objects.get(slug=SLUG)
    mark = time.perf_counter()
    # The generated event has fixed dates: plan as of the day before it, as an organiser
    # would, rather than leave out every slot once those dates have passed.
    eve = dt.datetime.combine(event.starts_on - dt.timedelta(days=1), dt.time(), event.tzinfo)
    run = schedule_event(event, time_limit=args.schedule_seconds, now=eve)
    publish_schedule(event)
    timings["schedule"] = time.perf_counter() - mark

    mark = time.perf_counter()
    ensure_recommendations(event)
    timings["recommendations"] = time.perf_counter() - mark

    mark = time.perf_counter()
    rng = random.Random(args.seed)
    everyone = list(
        Participant.objects.filter(event=event)
        .select_related("person__user", "event_organisation")
        .order_by("key")
    )
    chosen = rng.sample(everyone, min(args.users, len(everyone)))
    racers = max(0, round(len(chosen) * args.race_share) // GROUP * GROUP)
    passwords = round(len(chosen) * args.password_share)
    # Password users arrive spread among the others, not all together.
    rest = len(chosen) - racers
    by_password_at = {racers + int((k + 0.5) * rest / passwords) for k in range(passwords)}
    hashed = make_password(PASSWORD)  # one argon2 hash for all: hashing is not what we measure
    next_url = reverse("portal:recommendations", kwargs={"slug": SLUG})
    identities = []
    for index, participant in enumerate(chosen):
        user = user_for_participant(participant)
        # Racers come first (they arrive first) and use two devices.
        devices = 2 if index < racers else 1
        by_password = index in by_password_at
        if by_password:
            user.password = hashed
            user.save(update_fields=["password"])
        identities.append(
            {
                "pk": participant.pk,
                "key": participant.key,
                "org": participant.event_organisation_id,
                "org_key": participant.event_organisation.key,
                "email": user.email,
                "racer": index < racers,
                "password": PASSWORD if by_password else "",
                "links": []
                if by_password
                else [
                    create_sign_in_link(user, next_url, lifetime=INVITATION_LIFETIME)
                    for _ in range(devices)
                ],
            }
        )
    timings["users"] = time.perf_counter() - mark

    # How long one password check takes: the price of each password sign-in.
    checks = []
    for _ in range(5):
        mark = time.perf_counter()
        check_password(PASSWORD, hashed)
        checks.append((time.perf_counter() - mark) * 1000)

    open_pairs = {
        frozenset(pair)
        for pair in MeetingRequest.objects.filter(
            event=event, status__in=ACTIVE_STATUSES
        ).values_list("sender_id", "recipient_id")
    }
    rounds = race_rounds(identities[:racers], args.race_rounds, open_pairs, rng)
    # Fresh planner statistics, as autovacuum would have gathered long before an event opens.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {
        "slug": SLUG,
        "identities": identities,
        "rounds": rounds,
        "others": [{"pk": p.pk, "key": p.key, "org": p.event_organisation_id} for p in everyone],
        "org_keys": sorted({p.event_organisation.key for p in everyone}),
        "timings": {name: round(seconds, 1) for name, seconds in timings.items()},
        "argon2_ms": round(statistics.median(checks), 1),
        "event": {
            "participants": len(everyone),
            "organisations": len(document["organisations"]),
            "opportunities": len(document["opportunities"]),
            "requests": len(document["meeting_requests"]),
            "meetings": len(run.schedule.placements),
            "slots": len(run.problem.slots),
        },
    }


def race_rounds(racers: list[dict], count: int, open_pairs: set, rng: random.Random) -> list:
    """Per round, groups of five: the first is sought after, the other four ask them at once;
    the first two askers also ask each other, and the sought-after person asks the last one
    (crossed requests); the sought-after person then answers from two devices at once.
    Every pair is fresh (no open request yet) and between two organisations."""

    def fresh(a: dict, b: dict) -> bool:
        return a["org"] != b["org"] and frozenset((a["pk"], b["pk"])) not in open_pairs

    rounds = []
    for _ in range(count):
        best: list = []
        for _attempt in range(50):  # groups built greedily; keep the fullest round found
            free = racers[:]
            rng.shuffle(free)
            groups = []
            while len(free) >= GROUP:
                hot = free.pop()
                group = _race_group(hot, free, fresh)
                if group is None:
                    continue
                groups.append(group)
                free = [r for r in free if r not in group]
            if len(groups) > len(best):
                best = groups
        if not best:
            break  # no fresh pairing left: fewer rounds
        for hot, *askers in best:
            pairs = [(asker, hot) for asker in askers]
            pairs += [(askers[0], askers[1]), (hot, askers[-1])]
            open_pairs.update(frozenset((a["pk"], b["pk"])) for a, b in pairs)
        rounds.append(
            [{"hot": hot["pk"], "askers": [a["pk"] for a in askers]} for hot, *askers in best]
        )
    return rounds


def _race_group(hot: dict, free: list[dict], fresh) -> list[dict] | None:
    """[hot, four askers] from `free`, or None: every asker fresh with hot, the first two
    fresh with each other."""
    askers = [r for r in free if fresh(r, hot)]
    for first in askers:
        for second in askers:
            if second is first or not fresh(first, second):
                continue
            rest = [r for r in askers if r is not first and r is not second]
            if len(rest) >= GROUP - 3:
                return [hot, first, second, *rest[: GROUP - 3]]
    return None


def check_database(args: argparse.Namespace) -> dict:
    """In a Django process: what the database says after the run."""
    import django

    django.setup()
    from django.db import connection

    from superconnector.events.models import Event
    from superconnector.meetings.models import ACTIVE_STATUSES, MeetingRequest, RequestStatus

    event = Event.objects.get(slug=SLUG)
    statuses = ", ".join(f"'{s}'" for s in ACTIVE_STATUSES)
    queries = {
        # Two meetings of one person at overlapping times (by the requests' two sides, so a
        # missing seat cannot hide one).
        "person_double_bookings": """
            WITH sides AS (
                SELECT m.id AS meeting, r.sender_id AS person, s.starts_at, s.ends_at
                FROM meetings_meeting m JOIN meetings_meetingrequest r ON r.id = m.request_id
                JOIN events_slot s ON s.id = m.slot_id WHERE m.event_id = %(event)s
                UNION ALL
                SELECT m.id, r.recipient_id, s.starts_at, s.ends_at
                FROM meetings_meeting m JOIN meetings_meetingrequest r ON r.id = m.request_id
                JOIN events_slot s ON s.id = m.slot_id WHERE m.event_id = %(event)s)
            SELECT count(*) FROM sides a JOIN sides b
              ON a.person = b.person AND a.meeting < b.meeting
             AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at""",
        "seat_double_bookings": """
            SELECT count(*) FROM meetings_meetingseat a JOIN meetings_meetingseat b
              ON a.participant_id = b.participant_id AND a.meeting_id < b.meeting_id
            JOIN events_slot sa ON sa.id = a.slot_id JOIN events_slot sb ON sb.id = b.slot_id
            JOIN meetings_meeting m ON m.id = a.meeting_id
            WHERE m.event_id = %(event)s
              AND sa.starts_at < sb.ends_at AND sb.starts_at < sa.ends_at""",
        "table_double_bookings": """
            SELECT count(*) FROM meetings_meeting a JOIN meetings_meeting b
              ON a.event_id = b.event_id AND a.table = b.table AND a.id < b.id
            JOIN events_slot sa ON sa.id = a.slot_id JOIN events_slot sb ON sb.id = b.slot_id
            WHERE a.event_id = %(event)s
              AND sa.starts_at < sb.ends_at AND sb.starts_at < sa.ends_at""",
        "seats_not_matching_requests": """
            SELECT count(*) FROM meetings_meeting m
            JOIN meetings_meetingrequest r ON r.id = m.request_id
            WHERE m.event_id = %(event)s AND (
                (SELECT count(*) FROM meetings_meetingseat t WHERE t.meeting_id = m.id) <> 2
                OR NOT EXISTS (SELECT 1 FROM meetings_meetingseat t
                               WHERE t.meeting_id = m.id AND t.participant_id = r.sender_id)
                OR NOT EXISTS (SELECT 1 FROM meetings_meetingseat t
                               WHERE t.meeting_id = m.id AND t.participant_id = r.recipient_id)
                OR r.status <> 'accepted')""",
        "duplicate_open_requests": f"""
            SELECT coalesce(sum(n - 1), 0) FROM (
                SELECT count(*) AS n FROM meetings_meetingrequest
                WHERE event_id = %(event)s AND status IN ({statuses})
                GROUP BY least(sender_id, recipient_id), greatest(sender_id, recipient_id)
                HAVING count(*) > 1) AS d""",
        "requests_answered_twice": """
            SELECT count(*) FROM (
                SELECT c.request_id FROM meetings_meetingrequestchange c
                JOIN meetings_meetingrequest r ON r.id = c.request_id
                WHERE r.event_id = %(event)s AND c.from_status = 'pending'
                GROUP BY c.request_id HAVING count(*) > 1) AS d""",
        "requests_sent_during_run": """
            SELECT count(*) FROM meetings_meetingrequestchange c
            JOIN meetings_meetingrequest r ON r.id = c.request_id
            WHERE r.event_id = %(event)s AND c.from_status = '' AND c.source <> 'import'""",
        "answers_during_run": """
            SELECT count(*) FROM meetings_meetingrequestchange c
            JOIN meetings_meetingrequest r ON r.id = c.request_id
            WHERE r.event_id = %(event)s AND c.from_status = 'pending'
              AND c.source NOT IN ('import', 'expiry')""",
        "meetings": "SELECT count(*) FROM meetings_meeting WHERE event_id = %(event)s",
    }
    results = {}
    with connection.cursor() as cursor:
        for name, sql in queries.items():
            cursor.execute(sql, {"event": event.pk})
            results[name] = int(cursor.fetchone()[0])
    # The crossed requests of the races: each pair should end with one accepted request.
    rounds = json.loads(Path(args.plan).read_text(encoding="utf-8"))["rounds"]
    crossed = [
        pair
        for groups in rounds
        for group in groups
        for pair in ((group["askers"][0], group["askers"][1]), (group["hot"], group["askers"][-1]))
    ]
    merged = 0
    for a, b in crossed:
        rows = MeetingRequest.objects.filter(
            sender__in=[a, b], recipient__in=[a, b], status__in=ACTIVE_STATUSES
        )
        merged += [r.status for r in rows] == [RequestStatus.ACCEPTED]
    results["crossed_pairs"], results["crossed_pairs_merged"] = len(crossed), merged
    return results


def run_child(args: argparse.Namespace, data_dir: str, phase: str, out: Path) -> dict:
    command = [sys.executable, __file__, "--phase", phase, "--phase-out", str(out)]
    command += ["--users", str(args.users), "--seed", str(args.seed)]
    command += ["--participants", str(args.participants)]
    command += ["--race-share", str(args.race_share), "--race-rounds", str(args.race_rounds)]
    command += ["--password-share", str(args.password_share)]
    command += ["--schedule-seconds", str(args.schedule_seconds)]
    command += ["--pg-url", args.pg_url, "--database", args.database]
    command += ["--plan", str(Path(data_dir) / "plan.json")]
    subprocess.run(command, env=django_env(args, data_dir), check=True)
    return json.loads(out.read_text(encoding="utf-8"))


# --- the simulated delegates (Locust, in this process) -----------------------------------------

STATIC_RE = re.compile(r'(?:href|src)="(/static/[^"]+)"')
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PEOPLE_RE = re.compile(r'name="participant" value="(\d+)"')
ORGANISATION_RE = re.compile(r"/meetings/new/\?organisation=([^\"&]+)")
TARGET_RE = re.compile(r'name="target" value="((?:person|opportunity):\d+)"')
ACCEPT_RE = re.compile(r'action="([^"]*/meetings/(\d+)/accept/)"')
RECIPIENT_RE = re.compile(r'<select name="recipient"[^>]*>(.*?)</select>', re.S)
OPTION_RE = re.compile(r'<option value="(\d+)"')


def build_user_class(plan: dict, args: argparse.Namespace, clock: dict):
    """The Locust user class, closed over the setup's identities and race plan."""
    import gevent
    from locust import task
    from locust.contrib.fasthttp import FastHttpSession, FastHttpUser
    from locust.exception import StopUser

    slug = plan["slug"]
    portal = f"/events/{slug}"
    identities = list(plan["identities"])  # racers first: they arrive first
    by_pk = {p["pk"]: p for p in plan["others"]}
    think_low, think_high = args.think
    # Per racer: seconds into the run -> what to do then (ask whom; answer from two devices).
    # Within a round the groups race one after the other, spread over the round, so that
    # each race is a real one (its members to the millisecond) without every group's
    # requests landing in the same instant as well.
    duties: dict[int, dict[float, dict]] = defaultdict(dict)
    for number, groups in enumerate(plan["rounds"]):
        for index, group in enumerate(groups):
            at = FIRST_RACE + number * RACE_EVERY + index * RACE_EVERY / len(groups)
            hot, askers = group["hot"], group["askers"]
            for asker in askers:
                duties[asker][at] = {"ask": [hot], "answer": False}
            first, second, last = askers[0], askers[1], askers[-1]
            duties[first][at]["ask"].insert(0, second)
            duties[second][at]["ask"].insert(0, first)
            duties[hot][at] = {"ask": [last], "answer": True}

    def race_time(at: float) -> float:
        return clock["start"] + at

    class Delegate(FastHttpUser):
        host = args.host
        network_timeout = 60.0
        connection_timeout = 60.0

        def on_start(self) -> None:
            self.me = identities.pop(0) if identities else None
            if self.me is None:
                raise StopUser()  # more users than delegates with a link
            self.people: list[str] = []
            self.organisations: list[str] = []
            self.targets: list[str] = []
            self.duties = dict(duties.get(self.me["pk"], {}))
            self.devices = [self.client]
            if self.me["password"]:
                self.sign_in_with_password()
                return
            for number, link in enumerate(self.me["links"]):
                if number:
                    self.devices.append(  # a second phone or laptop: its own cookies
                        FastHttpSession(
                            self.host,
                            self.environment.events.request,
                            self,
                            network_timeout=self.network_timeout,
                            connection_timeout=self.connection_timeout,
                            max_retries=0,  # never send a POST twice
                        )
                    )
                self.sign_in_with_link(self.devices[number], link)

        # -- signing in --

        def sign_in_with_link(self, client, link: str) -> None:
            path = link.split("//", 1)[-1].split("/", 1)[-1]
            path = "/" + path if not link.startswith("/") else link
            page = self.page(client, path, "sign-in link: page")
            self.load_static(client, page)
            gevent.sleep(random.uniform(1, 3))  # finding the button
            token = csrf_of(page)
            with client.post(
                path,
                data={"csrfmiddlewaretoken": token},
                name="sign-in link: POST",
                allow_redirects=False,
                catch_response=True,
            ) as response:
                expect(response, {302})
            self.enter_portal(client)

        def sign_in_with_password(self) -> None:
            next_url = f"{portal}/recommendations/"
            page = self.page(
                self.client, f"/accounts/login/?next={next_url}", "password login: page"
            )
            self.load_static(self.client, page)
            gevent.sleep(random.uniform(3, 8))  # typing
            with self.client.post(
                f"/accounts/login/?next={next_url}",
                data={
                    "csrfmiddlewaretoken": csrf_of(page),
                    "username": self.me["email"],
                    "password": self.me["password"],
                    "next": next_url,
                },
                name="password login: POST",
                allow_redirects=False,
                catch_response=True,
            ) as response:
                expect(response, {302})
            self.enter_portal(self.client)

        def enter_portal(self, client) -> None:
            """The page the link leads to; at the first visit, registration's consent step
            (privacy/welcome) comes first and leads back to it."""
            path = f"{portal}/recommendations/"
            with client.get(
                path,
                name="portal: recommendations (first visit)",
                allow_redirects=False,
                catch_response=True,
            ) as response:
                location = location_of(response)
                if response.status_code == 302 and "/welcome/" not in location:
                    response.failure(f"redirected to {location}")
                else:
                    expect(response, {200, 302}, anywhere=True)
            if "/welcome/" in location:
                page = self.page(client, location, "consent: page")
                gevent.sleep(random.uniform(3, 8))  # reading four choices
                choices = {"profile": "on", "contact": "on"}
                if random.random() < 0.8:
                    choices["cross_border"] = "on"
                if random.random() < 0.3:
                    choices["marketing"] = "on"
                with client.post(
                    location,
                    data={"csrfmiddlewaretoken": csrf_of(page), **choices},
                    name="consent: POST",
                    allow_redirects=False,
                    catch_response=True,
                ) as response:
                    expect(response, {302})
            if client is self.client:
                self.read_recommendations()
            else:
                self.page(client, path, "portal: recommendations")

        # -- helpers --

        def load_static(self, client, page: str) -> None:
            """The style sheet and scripts, once: the browser caches them afterwards."""
            for path in sorted(set(STATIC_RE.findall(page))):
                with client.get(
                    path, name="static files (first page)", catch_response=True
                ) as response:
                    expect(response, {200})

        def page(self, client, path: str, name: str, headers: dict | None = None) -> str:
            with client.get(
                path, name=name, headers=headers, allow_redirects=False, catch_response=True
            ) as response:
                expect(response, {200})
                return response.text or ""

        def post(self, client, path, data, name, expected, headers=None):
            data = {"csrfmiddlewaretoken": self.csrf(client), **data}
            with client.post(
                path,
                data=data,
                name=name,
                headers=headers,
                allow_redirects=False,
                catch_response=True,
            ) as response:
                expect(response, expected)
                return response

        def csrf(self, client) -> str:
            # The CSRF cookie (its secret) is what every page's form carries, masked.
            for cookie in client.cookiejar:
                if cookie.name == "csrftoken":
                    return cookie.value
            return ""

        # -- what delegates do --

        def read_recommendations(self) -> None:
            text = self.page(self.client, f"{portal}/recommendations/", "portal: recommendations")
            self.people = PEOPLE_RE.findall(text) or self.people
            self.organisations = ORGANISATION_RE.findall(text) or self.organisations
            self.targets = TARGET_RE.findall(text) or self.targets

        def read_agenda(self) -> None:
            self.page(self.client, f"{portal}/agenda/", "portal: agenda")

        def read_meetings(self, client=None) -> str:
            return self.page(client or self.client, f"{portal}/meetings/", "portal: meetings")

        def search_directory(self) -> None:
            show = random.choice(["opportunities", "opportunities", "organisations", "people"])
            query = random.choice(DIRECTORY_QUERIES)
            path = f"{portal}/directory/?show={show}&q={query}"
            if random.random() < 0.5:
                self.page(self.client, path, "portal: directory")
            else:  # typing in the search box: htmx asks for the results only
                self.page(
                    self.client, path, "portal: directory (htmx)", headers={"HX-Request": "true"}
                )

        def api_recommendations(self) -> None:
            self.page(
                self.client,
                f"/api/v1/events/{slug}/recommendations?top=10",
                "api: GET recommendations",
            )

        def api_meetings(self) -> None:
            self.page(self.client, f"/api/v1/events/{slug}/meetings", "api: GET meetings")

        def request_by_form(self) -> None:
            """Open "Request a meeting" on a recommended opportunity, pick the person, send."""
            organisation = random.choice(self.organisations or plan["org_keys"])
            path = f"{portal}/meetings/new/?organisation={organisation}"
            with self.client.get(
                path, name="portal: request form", allow_redirects=False, catch_response=True
            ) as response:
                # 404 when the only people to ask are one's own colleagues.
                expect(response, {200, 404})
                text = response.text or ""
            select = RECIPIENT_RE.search(text)
            options = OPTION_RE.findall(select.group(1)) if select else []
            if not options:
                return
            response = self.post(
                self.client,
                f"{portal}/meetings/new/",
                {
                    "to": "",
                    "organisation": organisation,
                    "recipient": random.choice(options),
                    "message": "We would like to discuss a pilot with you at the fair.",
                    "priority": random.choice(["1", "2", "2", "3"]),
                },
                "portal: send request (form POST)",
                {302, 200},  # 200: the form again, with the refusal (already asked, too many)
            )
            if response.status_code == 302:
                self.read_meetings()

        def quick_request(self) -> None:
            """ "Request a meeting" on a recommended person (htmx, answered in place)."""
            if not self.people:
                self.read_recommendations()
            if self.people:
                self.post(
                    self.client,
                    f"{portal}/recommendations/request/",
                    {"participant": random.choice(self.people)},
                    "portal: quick request (htmx POST)",
                    {200},
                    headers={"HX-Request": "true"},
                )

        def answer_requests(self) -> None:
            text = self.read_meetings()
            pending = ACCEPT_RE.findall(text)
            if not pending:
                return
            _action, pk = random.choice(pending)
            if random.random() < 0.75:
                self.post(
                    self.client,
                    f"{portal}/meetings/{pk}/accept/",
                    {},
                    "portal: accept request (POST)",
                    {302},
                )
            else:
                self.post(
                    self.client,
                    f"{portal}/meetings/{pk}/decline/",
                    {"reason": "Our schedule is full, sorry."},
                    "portal: decline request (POST)",
                    {302},
                )
            self.read_meetings()

        def give_feedback(self) -> None:
            if not self.targets:
                self.read_recommendations()
            if self.targets:
                target = random.choice(self.targets)
                self.targets.remove(target)
                self.post(
                    self.client,
                    f"{portal}/recommendations/feedback/",
                    {"target": target, "verdict": random.choice(VERDICTS)},
                    "portal: feedback (htmx POST)",
                    {200},
                    headers={"HX-Request": "true"},
                )

        # -- racing on purpose --

        def next_race(self) -> tuple[float, float] | None:
            now = time.time()
            for offset in sorted(self.duties):
                if race_time(offset) > now - 5:
                    return offset, race_time(offset)
            return None

        def race(self, offset: float, at: float) -> None:
            duty = self.duties.pop(offset)
            form = {"message": "Let us meet first thing.", "priority": "3", "organisation": ""}
            gevent.sleep(max(0.0, at - time.time()))
            for other in duty["ask"]:  # all at the same moment as the others of the group
                self.post(
                    self.client,
                    f"{portal}/meetings/new/",
                    {**form, "to": by_pk[other]["key"], "recipient": str(other)},
                    "portal: send request (form POST)",
                    {302, 200},
                )
            if not duty["answer"]:
                return
            # The askers have asked by now; answer each request from both devices at once:
            # accept + accept, accept + decline, decline + decline in turn.
            gevent.sleep(max(0.0, at + 3.0 - time.time()))
            pending = [pk for _action, pk in ACCEPT_RE.findall(self.read_meetings())]
            second = self.devices[-1]
            for index, pk in enumerate(pending[: GROUP - 1]):
                moves = [("accept", "accept"), ("accept", "decline"), ("decline", "decline")]
                pair = moves[index % len(moves)]
                jobs = [
                    gevent.spawn(
                        self.post,
                        client,
                        f"{portal}/meetings/{pk}/{move}/",
                        {"reason": "Double-booked, sorry."} if move == "decline" else {},
                        f"portal: {move} request (POST)",
                        {302},
                    )
                    for client, move in zip((self.client, second), pair, strict=True)
                ]
                gevent.joinall(jobs)

        def wait_time(self) -> float:
            think = random.uniform(think_low, think_high)
            upcoming = self.next_race()
            if upcoming is not None:
                think = min(think, max(0.0, upcoming[1] - time.time() - 1.0))
            return think

        @task
        def step(self) -> None:
            upcoming = self.next_race()
            if upcoming is not None and upcoming[1] - time.time() < 1.5:
                self.race(*upcoming)
                return
            action = random.choices(ACTIONS, WEIGHTS)[0]
            getattr(self, action)()

    return Delegate


# What a signed-in delegate does next, and how often (reads about three quarters of steps).
MIX = {
    "read_recommendations": 20,
    "read_agenda": 15,
    "read_meetings": 12,
    "search_directory": 12,
    "api_recommendations": 5,
    "api_meetings": 5,
    "request_by_form": 9,
    "quick_request": 5,
    "answer_requests": 10,
    "give_feedback": 5,
}
ACTIONS, WEIGHTS = list(MIX), list(MIX.values())
VERDICTS = ["not_relevant", "already_know", "competitor"]


def location_of(response) -> str:
    return (response.headers or {}).get("location") or "" if response.status_code == 302 else ""


def csrf_of(text: str) -> str:
    found = CSRF_RE.search(text or "")
    return found.group(1) if found else ""


def expect(response, statuses: set[int], *, anywhere: bool = False) -> None:
    """Success if the status is one of `statuses`; a redirect to the account pages (sign
    in, consent) is a failure unless `anywhere`: the step did not happen."""
    location = location_of(response)
    if response.status_code == 0:
        response.failure(f"no answer: {getattr(response, 'error', '')!r}"[:120])
    elif response.status_code not in statuses:
        response.failure(f"HTTP {response.status_code}")
    elif "/accounts/" in location and not anywhere:
        response.failure(f"redirected to {location.split('?')[0]}")
    else:
        response.success()


def kind_of(name: str) -> str:
    if name.startswith("password login"):
        return "password"
    if name.startswith("static"):
        return "static"
    return "write" if "POST" in name else "read"


def run_load(args: argparse.Namespace, plan: dict) -> dict:
    """Locust in this process (gevent): spawn, run for --duration, stop; every request kept."""
    import gevent
    from locust.env import Environment

    clock = {"start": time.time()}
    records: list[tuple[str, float, int, bool, float]] = []  # name, ms, status, failed, at
    errors: dict[str, int] = defaultdict(int)

    def on_request(
        name, response_time, response=None, exception=None, start_time=0.0, **_kwargs
    ) -> None:
        status = getattr(response, "status_code", 0) or 0
        at = start_time - clock["start"]
        records.append((name, response_time, status, exception is not None, at))
        if exception is not None:
            errors[f"{name}: {exception}"[:160]] += 1

    environment = Environment(user_classes=[build_user_class(plan, args, clock)], host=args.host)
    environment.events.request.add_listener(on_request)
    runner = environment.create_local_runner()
    clock["start"] = time.time()
    runner.start(args.users, spawn_rate=args.spawn_rate)

    def progress() -> None:
        seen = 0
        while True:
            gevent.sleep(10)
            elapsed = time.time() - clock["start"]
            recent = records[seen:]
            seen = len(records)
            fives = sum(1 for r in records if r[2] >= 500)
            print(
                f"  {elapsed:5.0f} s  {runner.user_count:4d} users  {len(records):7d} requests"
                f"  {len(recent) / 10:6.1f}/s now  5xx {fives}",
                flush=True,
            )

    printer = gevent.spawn(progress)
    gevent.spawn_later(args.duration, runner.quit)
    runner.greenlet.join()
    printer.kill()
    return {
        "records": records,
        "errors": dict(errors),
        "seconds": time.time() - clock["start"],
    }


# --- gunicorn --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(args, data_dir: str, port: int, log: Path) -> subprocess.Popen:
    command = [
        str(BIN / "gunicorn"),
        "superconnector.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        "gthread" if args.threads > 1 else "sync",
        "--threads",
        str(args.threads),
        "--backlog",
        "2048",
        "--timeout",
        "120",
        "--graceful-timeout",
        "10",
        "--log-level",
        "warning",
        "--preload",  # the application (and its warm-up, see wsgi.py) loaded once, then forked
    ]
    env = django_env(args, data_dir)
    if args.conn_max_age is not None:  # the what-if, through the ordinary setting
        env["SUPERCONNECTOR_DATABASE_CONN_MAX_AGE"] = str(args.conn_max_age)
    with log.open("wb") as handle:
        return subprocess.Popen(
            command,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so that nothing outlives us
        )


def wait_until_serving(host: str, server: subprocess.Popen, log: Path) -> None:
    import urllib.request

    deadline = time.time() + 60
    while time.time() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(f"{host}/accounts/login/", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within 60 s")


def warm_up(host: str, count: int) -> None:
    """Each worker's first requests load templates and translations: a server that opens
    for an event has served pages before the rush."""
    import urllib.request

    for index in range(count):
        path = ("/", "/accounts/login/", f"/events/{SLUG}/")[index % 3]
        with urllib.request.urlopen(f"{host}{path}", timeout=30) as answer:
            answer.read()


def process_tree(root: int) -> list[int]:
    children: dict[int, list[int]] = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children[int(fields[1])].append(int(entry.name))
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack += children.get(pid, [])
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds of these processes so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def postgres_cpu_seconds() -> float:
    """CPU seconds of the PostgreSQL server, all databases: its live processes, plus the
    backends that have ended (the postmaster reaps them, so they count in its children's
    time)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        text = read_stat(entry.name) if entry.name.isdigit() else ""
        if "(postgres)" not in text:
            continue
        fields = text.rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
        if "(postgres)" not in read_stat(fields[1]):  # the postmaster: add its reaped children
            total += (int(fields[13]) + int(fields[14])) / ticks
    return total


def read_stat(pid: str) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    idle = values[3] + values[4]
    return (sum(values) - idle) / ticks, sum(values) / ticks


def stop_gunicorn(server: subprocess.Popen) -> None:
    """TERM to the master (it stops its workers), then KILL its process group if need be."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
    try:
        os.killpg(server.pid, 0)
    except ProcessLookupError:
        return
    os.killpg(server.pid, signal.SIGKILL)  # a worker outlived its master


# --- the report ------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (no interpolation): the value `share` of the requests beat."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(-(-share * len(ordered) // 1)) - 1))]


def report(args, plan: dict, load: dict, checks: dict, machine: dict) -> bool:
    records = load["records"]
    by_name: dict[str, list] = defaultdict(list)
    for record in records:
        by_name[record[0]].append(record)
    print(
        f"\n{'endpoint':42} {'kind':>8} {'requests':>8} {'fail':>5} {'p50':>6} {'p95':>6}"
        f" {'p99':>6} {'max':>6}  (ms)"
    )
    rank = {"read": 0, "write": 1, "password": 2, "static": 3}
    order = sorted(by_name, key=lambda n: (rank[kind_of(n)], n))
    for name in order:
        rows = by_name[name]
        times = [r[1] for r in rows]
        print(
            f"{name:42} {kind_of(name):>8} {len(rows):>8} {sum(r[3] for r in rows):>5}"
            f" {percentile(times, 0.5):>6.0f} {percentile(times, 0.95):>6.0f}"
            f" {percentile(times, 0.99):>6.0f} {max(times):>6.0f}"
        )
    kinds = {
        kind: [r[1] for r in records if kind_of(r[0]) == kind]
        for kind in ("read", "write", "password")
    }
    failures = sum(r[3] for r in records)
    server_errors = sum(1 for r in records if r[2] >= 500)
    no_answer = sum(1 for r in records if r[2] == 0)
    seconds = load["seconds"]
    print(
        f"\n{len(records)} requests in {seconds:.0f} s: {len(records) / seconds:.1f} per second"
        f" ({len(kinds['write'])} writes, {len(kinds['write']) / seconds:.1f} per second);"
        f" {failures} failed, {server_errors} server errors (5xx), {no_answer} without an answer"
    )
    for error, count in sorted(load["errors"].items(), key=lambda item: -item[1])[:10]:
        print(f"  {count:>6} x {error}")
    print("over time (s: requests per second, read p95 ms, write p95 ms):", end="")
    for start in range(0, int(seconds), 20):
        window = [r for r in records if start <= r[4] < start + 20]
        reads = [r[1] for r in window if kind_of(r[0]) == "read"]
        writes = [r[1] for r in window if kind_of(r[0]) == "write"]
        print(
            f"  {start}-{start + 20}: {len(window) / 20:.0f}/s"
            f" {percentile(reads, 0.95):.0f} {percentile(writes, 0.95):.0f}",
            end="",
        )
    print()
    password = kinds["password"]
    print(
        f"password sign-ins: {len(password) // 2} (page + POST), POST p50"
        f" {percentile(by_times(by_name, 'password login: POST'), 0.5):.0f} ms, p95"
        f" {percentile(by_times(by_name, 'password login: POST'), 0.95):.0f} ms;"
        f" one argon2 check costs {plan['argon2_ms']:.0f} ms of CPU on this machine"
        " (not counted in the targets)"
    )
    print(
        f"CPU over the run: machine {machine['busy']:.0%} busy of {machine['cores']} cores;"
        f" gunicorn {machine['gunicorn']:.2f} cores, PostgreSQL {machine['postgres']:.2f}"
        f" (all databases), Locust {machine['locust']:.2f}, anything else running"
        f" {machine['rest']:.2f};"
        f" load average before {machine['load_before']}"
    )
    print(
        "database after the run: "
        + ", ".join(f"{name.replace('_', ' ')} {value}" for name, value in checks.items())
    )
    double_bookings = (
        checks["person_double_bookings"]
        + checks["seat_double_bookings"]
        + checks["table_double_bookings"]
        + checks["seats_not_matching_requests"]
    )
    read_p95, write_p95 = percentile(kinds["read"], 0.95), percentile(kinds["write"], 0.95)
    verdicts = [
        (
            f"read p95 {read_p95:.0f} ms < {TARGET_READ_P95_MS:.0f} ms",
            read_p95 < TARGET_READ_P95_MS,
        ),
        (
            f"write p95 {write_p95:.0f} ms < {TARGET_WRITE_P95_MS:.0f} ms",
            write_p95 < TARGET_WRITE_P95_MS,
        ),
        (f"server errors (5xx) {server_errors} = 0", server_errors == 0),
        (f"requests without an answer {no_answer} = 0", no_answer == 0),
        (f"double bookings {double_bookings} = 0", double_bookings == 0),
        (
            f"duplicate open requests per pair {checks['duplicate_open_requests']} = 0",
            checks["duplicate_open_requests"] == 0,
        ),
        (
            f"requests answered twice {checks['requests_answered_twice']} = 0",
            checks["requests_answered_twice"] == 0,
        ),
    ]
    print()
    for label, ok in verdicts:
        print(f"{'PASS' if ok else 'FAIL'}  {label}")
    return all(ok for _label, ok in verdicts)


def by_times(by_name: dict, name: str) -> list[float]:
    return [r[1] for r in by_name.get(name, [])]


# --- main ------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--spawn-rate", type=float, default=5.0, help="users arriving per second")
    parser.add_argument("--duration", type=float, default=120.0, help="seconds, arrivals included")
    parser.add_argument(
        "--workers",
        type=int,
        default=3,
        help="gunicorn worker processes (3 measured best on 2 cores, see docs/operations.md)",
    )
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (>1: gthread)")
    parser.add_argument(
        "--think",
        default="10,30",
        help="seconds a delegate waits between steps: MIN,MAX (uniform)",
    )
    parser.add_argument(
        "--conn-max-age",
        type=int,
        help="what-if: keep each worker's database connection this many seconds (0: a new"
        " one per request); without it, the production default (database_conn_max_age)",
    )
    parser.add_argument("--participants", type=int, default=2000, help="delegates in the event")
    parser.add_argument("--password-share", type=float, default=0.05)
    parser.add_argument("--race-share", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--schedule-seconds", type=float, default=20.0)
    parser.add_argument(
        "--pg-url",
        default="postgresql://postgres@127.0.0.1:5432",
        help="the PostgreSQL server (a database named in it is ignored, see --database)",
    )
    parser.add_argument(
        "--database", default="superconnector_load", help="dropped and created again each run"
    )
    parser.add_argument(
        "--save-records", help="write every request (name, ms, status, failed, second) as JSON"
    )
    parser.add_argument("--phase", choices=["setup", "check"], help=argparse.SUPPRESS)
    parser.add_argument("--phase-out", help=argparse.SUPPRESS)
    parser.add_argument("--plan", help=argparse.SUPPRESS)
    parser.add_argument("--race-rounds", type=int, default=-1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.phase:
        low, _sep, high = args.think.partition(",")
        args.think = (float(low), float(high or low))
        args.users = min(args.users, args.participants)
        if args.race_rounds < 0:
            args.race_rounds = max(0, int((args.duration - FIRST_RACE - 10) // RACE_EVERY) + 1)
    return args


def main() -> int:
    args = parse_args()
    if args.phase:
        result = setup_event(args) if args.phase == "setup" else check_database(args)
        Path(args.phase_out).write_text(json.dumps(result), encoding="utf-8")
        return 0
    import locust  # noqa: F401  (gevent's monkey-patching, before anything opens sockets)

    data_dir = tempfile.mkdtemp(prefix="superconnector-load-")
    work = Path(data_dir)
    server = None
    try:
        print(
            f"Load: {args.users} users of a {args.participants}-delegate event, arriving"
            f" {args.spawn_rate:g}/s, {args.duration:g} s, thinking {args.think[0]:g}-"
            f"{args.think[1]:g} s; gunicorn {args.workers} workers x {args.threads} threads"
            f" ({'gthread' if args.threads > 1 else 'sync'}); PostgreSQL {database_url(args)}"
            + (
                f"; what-if: CONN_MAX_AGE={args.conn_max_age}"
                if args.conn_max_age is not None
                else ""
            ),
            flush=True,
        )
        started = time.perf_counter()
        recreate_database(args)
        subprocess.run(
            [str(BIN / "superconnector"), "migrate", "--no-input", "-v0"],
            env=django_env(args, data_dir),
            check=True,
        )
        migrate_seconds = time.perf_counter() - started
        plan = run_child(args, data_dir, "setup", work / "plan.json")
        event = plan["event"]
        timings = ", ".join(f"{k} {v:.0f} s" for k, v in plan["timings"].items())
        print(
            f"Setup: migrate {migrate_seconds:.0f} s, {timings} (hashing encoder). Event:"
            f" {event['participants']} delegates, {event['organisations']} organisations,"
            f" {event['opportunities']} opportunities, {event['requests']} requests,"
            f" {event['meetings']} meetings in {event['slots']} slots (published);"
            f" {len(plan['rounds'])} race rounds",
            flush=True,
        )
        port = free_port()
        args.host = f"http://127.0.0.1:{port}"
        log = work / "gunicorn.log"
        server = start_gunicorn(args, data_dir, port, log)
        wait_until_serving(args.host, server, log)
        warm_up(args.host, args.workers * args.threads * 6)
        load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        busy_before, total_before = machine_busy()
        own_before = time.process_time()
        server_before = cpu_seconds(process_tree(server.pid))
        postgres_before = postgres_cpu_seconds()
        load = run_load(args, plan)
        if args.save_records:
            Path(args.save_records).write_text(json.dumps(load["records"]), encoding="utf-8")
        busy_after, total_after = machine_busy()
        cores = os.cpu_count() or 1
        wall = (total_after - total_before) / cores
        gunicorn = (cpu_seconds(process_tree(server.pid)) - server_before) / wall
        locust_cpu = (time.process_time() - own_before) / wall
        postgres = (postgres_cpu_seconds() - postgres_before) / wall
        used = (busy_after - busy_before) / wall
        machine = {
            "cores": cores,
            "busy": used / cores,
            "gunicorn": gunicorn,
            "postgres": postgres,
            "locust": locust_cpu,
            "rest": max(0.0, used - gunicorn - postgres - locust_cpu),
            "load_before": load_before,
        }
        stop_gunicorn(server)
        server_log = log.read_text(errors="replace")
        if "Traceback" in server_log or "Error" in server_log:
            print(f"\ngunicorn's log (last lines):\n{server_log[-3000:]}")
        checks = run_child(args, data_dir, "check", work / "checks.json")
        ok = report(args, plan, load, checks, machine)
    finally:
        if server is not None:
            stop_gunicorn(server)
        shutil.rmtree(data_dir, ignore_errors=True)
    print(f"\n{'PASS' if ok else 'FAIL'} (database {args.database} kept for a look)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
