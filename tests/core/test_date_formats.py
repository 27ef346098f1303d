"""Dates read one way only, in every interface language.

Django's English formats print "Dec. 7, 2026" and "12/07/2026" (12 July to a reader in Hong
Kong or London). superconnector/formats/ replaces them: "7 Dec 2026" in English,
"2026年12月7日" in Chinese, times on the 24-hour clock. Every dated page is rendered in
each language and searched for anything that could be read as another day.
"""

import datetime as dt
import re
import zoneinfo

import pytest
from django.utils import formats, translation
from django.utils.html import strip_tags

from superconnector.events.models import AuditEntry
from tests.factories import MatchingRunFactory, StagedImportFactory
from tests.scenario import Scenario

pytestmark = pytest.mark.django_db

HK = zoneinfo.ZoneInfo("Asia/Hong_Kong")
# Days below 13, so that a day/month swap would still be a valid date.
DEADLINE = dt.datetime(2026, 12, 7, 18, 0, tzinfo=HK)
PUBLISHED = dt.datetime(2026, 12, 5, 9, 30, tzinfo=HK)
COMPUTED = dt.datetime(2026, 12, 3, 16, 45, tzinfo=HK)

# Every shape a date could take that can be misread or is not the format of the language.
AMBIGUOUS = [
    re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b"),  # 12/07/2026, 07.12.2026
    re.compile(r"\b\d{4}[-/]\d{1,2}[-/]\d{1,2}\b"),  # 2026-12-07, 2026/12/07
    # Month first: "Dec. 7, 2026", "December 7 2026" (not "8 Dec 09:00" of the agenda).
    re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2},? \d{4}"),
    re.compile(r"\b[ap]\.m\.", re.IGNORECASE),
]
# The session's day, the request deadline and the publication, as each language writes them.
EXPECTED = {
    "en": ("8 Dec 2026", "7 Dec 2026, 18:00", "5 Dec 2026, 09:30"),
    "zh-hans": ("2026年12月8日", "2026年12月7日 18:00", "2026年12月5日 09:30"),
    "zh-hant": ("2026年12月8日", "2026年12月7日 18:00", "2026年12月5日 09:30"),
}


@pytest.fixture
def expo():
    expo = (
        Scenario.create("expo", request_deadline=DEADLINE, schedule_published_at=PUBLISHED)
        .organisation("law", name="Harbour Law")
        .organisation("ai", name="Zhiyuan AI")
        .participant("amy", "law", name="Amy Leung", email="amy@example.com")
        .participant("ben", "ai", name="Ben Wu")
        .participant("cai", "ai", name="Cai Lin")
        .request("r1", "ben", "amy", "accepted")
        .request("r2", "cai", "amy", "pending")
        .session("am")
        .meeting("r1", table="T1")
        .organiser("orga")
        .account("amy", consents=True)
    )
    MatchingRunFactory(event=expo.event, finished_at=COMPUTED)
    StagedImportFactory(event=expo.event)
    AuditEntry.objects.create(event=expo.event, actor_label="orga", action="view", subject="x")
    return expo


def page_text(client, url: str, language: str) -> str:
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200, url
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.text, flags=re.S)
    return " ".join(strip_tags(html).split())


def test_the_languages_formats_write_the_day_the_month_in_words_and_the_year():
    moment = dt.datetime(2026, 12, 7, 14, 30)
    shown = {}
    for language in ("en", "zh-hans", "zh-hant"):
        with translation.override(language):
            shown[language] = [
                formats.date_format(moment, name)
                for name in ("DATE_FORMAT", "SHORT_DATE_FORMAT", "DATETIME_FORMAT")
            ] + [formats.localize(moment.date()), formats.time_format(moment.time())]
    assert shown["en"] == ["7 Dec 2026", "7 Dec 2026", "7 Dec 2026, 14:30", "7 Dec 2026", "14:30"]
    chinese = ["2026年12月7日", "2026年12月7日", "2026年12月7日 14:30", "2026年12月7日", "14:30"]
    assert shown["zh-hans"] == shown["zh-hant"] == chinese


@pytest.mark.parametrize("language", ["en", "zh-hans", "zh-hant"])
def test_dated_pages_show_no_date_that_reads_two_ways(client, expo, language):
    slug = expo.event.slug
    client.force_login(expo.users["amy"])
    delegate_pages = [
        f"/events/{slug}/",
        f"/events/{slug}/meetings/",
        f"/events/{slug}/agenda/",
        f"/events/{slug}/recommendations/",
    ]
    texts = {url: page_text(client, url, language) for url in delegate_pages}
    client.force_login(expo.users["orga"])
    organiser_pages = [
        "/orga/",
        f"/orga/{slug}/sessions/",
        f"/orga/{slug}/import/",
        f"/orga/{slug}/publish/",
        f"/orga/{slug}/runs/",
        f"/orga/{slug}/audit/",
    ]
    texts |= {url: page_text(client, url, language) for url in organiser_pages}

    for url, text in texts.items():
        for pattern in AMBIGUOUS:
            assert not pattern.findall(text), (url, pattern.findall(text))
    day, deadline, published = EXPECTED[language]
    assert day in texts[f"/events/{slug}/"] and day in texts[f"/orga/{slug}/sessions/"]
    assert deadline in texts[f"/events/{slug}/meetings/"]
    assert published in texts[f"/orga/{slug}/publish/"]
