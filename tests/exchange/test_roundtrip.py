"""Export, re-import into an empty database, export again: the two exports are identical."""

import pytest
from django.db import transaction

from superconnector.engine.synthetic import generate_event
from superconnector.events.models import Event
from superconnector.exchange.exporter import dump_document, export_event
from superconnector.exchange.importer import import_document

pytestmark = pytest.mark.django_db


def clear_database() -> None:
    with transaction.atomic():
        Event.objects.all().delete()
        from superconnector.directory.models import Organisation, Person

        Organisation.objects.all().delete()
        Person.objects.all().delete()


def add_meetings(document: dict) -> dict:
    """Place a handful of accepted requests so that meetings take part in the round trip."""
    session = document["meeting_sessions"][0]
    busy: set[str] = set()
    meetings = []
    for request in document["meeting_requests"]:
        if request["status"] != "accepted" or {request["from"], request["to"]} & busy:
            continue
        busy |= {request["from"], request["to"]}
        meetings.append(
            {
                "request": request["key"],
                "date": session["date"],
                "start": session["start"],
                "end": "09:20",
                "table": f"T{len(meetings) + 1}",
                "locked": len(meetings) % 2 == 0,
            }
        )
        if len(meetings) == 20:
            break
    document["meetings"] = meetings
    document["availability"].append(
        {
            "participant": "p-0",
            "unavailable": [{"date": session["date"], "start": "11:00", "end": "11:30"}],
        }
    )
    return document


def test_round_trip_of_a_generated_event_is_identical():
    document = add_meetings(generate_event(300, seed=7, tables=40))
    # p-0 may have a restricted-sessions row already; keep one row per participant
    seen, rows = set(), []
    for row in reversed(document["availability"]):
        if row["participant"] not in seen:
            seen.add(row["participant"])
            rows.append(row)
    document["availability"] = rows
    import_document(document)
    first = dump_document(export_event(Event.objects.get()))
    clear_database()
    import_document(__import__("json").loads(first))
    second = dump_document(export_event(Event.objects.get()))
    assert first == second
    assert '"meetings": [\n    {' in second  # meetings really took part


def test_round_trip_of_the_small_document(document):
    import_document(document)
    first = export_event(Event.objects.get())
    clear_database()
    import_document(first)
    assert export_event(Event.objects.get()) == first
