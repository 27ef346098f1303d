"""People's Chinese names at the desk: check-in search finds 陈浩然, badges print both names."""

import pytest
from django.urls import reverse
from reportlab.pdfgen.canvas import Canvas

from superconnector.backoffice.domain import badges
from superconnector.directory.domain.checkin import find_participants
from superconnector.directory.models import Participant, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def haoran(event):
    """Zhang Wei (p2) renamed as a delegate who gave his name in Chinese characters."""
    participant = Participant.objects.select_related("person").get(key="p2")
    Person.objects.filter(pk=participant.person_id).update(name="Chen Haoran", name_zh="陈浩然")
    return participant


def test_check_in_search_finds_a_person_by_chinese_name(event, haoran):
    assert find_participants(event, "陈浩然") == [haoran]
    assert find_participants(event, "浩然") == [haoran]
    assert find_participants(event, "王建国") == []


def test_the_desk_page_shows_the_chinese_name(orga_client, event, haoran):
    response = orga_client.get(reverse("backoffice:checkin", args=[event.slug]), {"q": "陈浩然"})
    assert response.context["results"] == [haoran]
    assert "陈浩然" in response.text and "Chen Haoran" in response.text


def test_a_badge_prints_both_names(event, haoran, monkeypatch):
    drawn: list[str] = []
    original = Canvas.drawString

    def recording(canvas, x, y, text, *args, **kwargs):
        drawn.append(text)
        return original(canvas, x, y, text, *args, **kwargs)

    # Every piece of text on the sheet, however the layout code draws it.
    monkeypatch.setattr(Canvas, "drawString", recording)
    people = Participant.objects.filter(key__in=["p1", "p2"]).select_related(
        "person", "event_organisation__organisation"
    )
    pdf = badges.badges_pdf(event, people)
    assert pdf.startswith(b"%PDF")
    assert "陈浩然" in drawn and "Chen Haoran" in drawn
    assert "Amy Leung" in drawn  # a person without a Chinese name gets one name line


def test_the_desk_in_chinese_shows_the_chinese_names_first(orga_client, event, haoran):
    orga_client.cookies["django_language"] = "zh-hans"
    response = orga_client.get(reverse("backoffice:checkin", args=[event.slug]), {"q": "Chen"})
    assert "<strong>陈浩然</strong> <span>Chen Haoran</span>" in response.text
    assert '<span class="muted">智元人工智能' in response.text


def test_the_dashboard_in_chinese_shows_the_chinese_event_name(orga_client, event):
    response = orga_client.get(reverse("backoffice:dashboard", args=[event.slug]))
    assert "<h1>Beijing-Hong Kong Seminar</h1>" in response.text
    orga_client.cookies["django_language"] = "zh-hans"
    response = orga_client.get(reverse("backoffice:dashboard", args=[event.slug]))
    assert "<h1>京港研讨会</h1>" in response.text


def test_the_participants_export_has_the_chinese_name(orga_client, event, haoran):
    import csv
    import io

    response = orga_client.get(
        reverse("backoffice:export", args=[event.slug, "participants", "csv"])
    )
    rows = {r["key"]: r for r in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))}
    assert rows["p2"]["name_zh"] == "陈浩然" and rows["p1"]["name_zh"] == ""
