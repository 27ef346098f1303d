"""The demo event loads from its data file, is believable, and loading it again changes nothing."""

import collections
import re

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from superconnector.demo.loader import DELEGATE_KEY, DEMO_SLUG, load_demo, read_demo_document
from superconnector.directory.models import Participant
from superconnector.events.models import Event
from superconnector.exchange.document import read_document
from superconnector.meetings.domain.summary import summarise_event


@pytest.fixture(scope="module")
def demo_document() -> dict:
    return read_demo_document()


def test_the_demo_file_is_a_valid_exchange_document(demo_document):
    parsed = read_document(demo_document)
    assert not parsed.problems
    assert parsed.event["slug"] == DEMO_SLUG


def test_the_demo_has_the_size_of_the_real_seminar(demo_document):
    assert 100 <= len(demo_document["organisations"]) <= 140
    assert 180 <= len(demo_document["participants"]) <= 220
    assert len(demo_document["opportunities"]) >= 300
    assert len(demo_document["meeting_sessions"]) >= 2
    kinds = collections.Counter(o["kind"] for o in demo_document["organisations"])
    for kind in (
        "government",
        "chamber",
        "service_provider",
        "enterprise",
        "startup",
        "investor",
        "financial_institution",
        "university",
        "research_institution",
    ):
        assert kinds[kind] >= 1, kind


def test_opportunities_are_written_in_all_three_languages(demo_document):
    languages = collections.Counter(o["language"] for o in demo_document["opportunities"])
    total = sum(languages.values())
    for language in ("en", "zh-Hans", "zh-Hant"):
        assert languages[language] >= 0.12 * total, languages
    directions = collections.Counter(o["direction"] for o in demo_document["opportunities"])
    assert directions["offer"] > 50 and directions["need"] > 50


def test_demo_people_are_fictional_and_use_reserved_domains(demo_document):
    for person in demo_document["participants"]:
        assert re.search(r"@example\.(org|com)$", person["email"]), person["email"]
    real_people = {"Rex Chang", "Guo Wenjie", "Judith Yu", "Amy Yuen", "Kevin Chan", "Vinci Chan"}
    assert not real_people & {p["name"] for p in demo_document["participants"]}
    for organisation in demo_document["organisations"]:
        if organisation.get("website"):
            assert re.search(r"\.example\.(org|com)(/|$)", organisation["website"]), organisation[
                "website"
            ]


def test_texts_are_authored_not_placeholders(demo_document):
    texts = [o["description"] for o in demo_document["opportunities"]]
    assert len(set(texts)) == len(texts)
    assert not any("lorem" in text.lower() for text in texts)
    assert min(len(text) for text in texts) >= 40


@pytest.mark.django_db
def test_loading_the_demo_twice_changes_nothing_and_creates_working_logins():
    report, logins = load_demo()
    assert report.event == "created"
    second, _ = load_demo()
    assert not second.changed
    by_role = {login.role: login for login in logins}
    # With a request, as from the login form: django-axes refuses authenticate() without one.
    request = RequestFactory().post("/accounts/login/")
    organiser = authenticate(
        request, username=by_role["organiser"].email, password=by_role["organiser"].password
    )
    delegate = authenticate(
        request, username=by_role["delegate"].email, password=by_role["delegate"].password
    )
    assert organiser is not None and organiser.is_staff
    assert delegate is not None and not delegate.is_staff
    participant = Participant.objects.get(person__user=delegate, event__slug=DEMO_SLUG)
    assert participant.event_organisation.organisation.kind in ("enterprise", "startup")
    assert participant.event_organisation.opportunities.filter(direction="need").exists()


@pytest.mark.django_db
def test_demo_command_prints_figures_and_logins(capsys):
    call_command("demo")
    out = capsys.readouterr().out
    assert "Demo event:" in out and "organiser" in out and "delegate" in out and "password:" in out
    summary = summarise_event(Event.objects.get(slug=DEMO_SLUG))
    assert str(summary.organisations) in out
    assert summary.table_slots > 0
    # The printed delegate has recommendations waiting, and the pages are named.
    from superconnector.matchmaking.models import MeetingSuggestion

    delegate = Participant.objects.get(event__slug=DEMO_SLUG, key=DELEGATE_KEY)
    assert MeetingSuggestion.objects.filter(participant=delegate).exists()
    assert f"/events/{DEMO_SLUG}/recommendations/" in out and f"/orga/{DEMO_SLUG}/" in out


def test_a_demo_loaded_after_its_date_moves_to_tomorrow_whole(demo_document):
    """Scheduling plans forward only: a demo left in the past would show nothing to plan."""
    import copy
    import datetime as dt

    from superconnector.demo.loader import keep_upcoming

    original = dt.date.fromisoformat(demo_document["event"]["starts_on"])
    later = original + dt.timedelta(days=30)
    moved = keep_upcoming(copy.deepcopy(demo_document), later)
    assert moved["event"]["starts_on"] == (later + dt.timedelta(days=1)).isoformat()
    shift = dt.timedelta(days=31)
    for before, after in zip(
        demo_document["meeting_sessions"], moved["meeting_sessions"], strict=True
    ):
        assert dt.date.fromisoformat(after["date"]) - dt.date.fromisoformat(before["date"]) == shift
    blocks = [b for row in moved["availability"] for b in row.get("unavailable") or []]
    assert blocks and all(b["date"] >= moved["event"]["starts_on"] for b in blocks)
    # Before its date, and on a second load the same day, nothing moves.
    assert keep_upcoming(copy.deepcopy(demo_document), original - dt.timedelta(days=3)) == (
        demo_document
    )
    assert keep_upcoming(copy.deepcopy(moved), later) == moved


@pytest.mark.django_db
def test_the_demo_delegate_has_a_chinese_name_the_desk_finds(demo_document):
    from superconnector.directory.domain.checkin import find_participants

    [haoran] = [p for p in demo_document["participants"] if p["key"] == DELEGATE_KEY]
    assert haoran["name_zh"] == "陈浩然"
    load_demo()
    found = find_participants(Event.objects.get(slug=DEMO_SLUG), "陈浩然")
    assert [p.key for p in found] == [DELEGATE_KEY]
