"""One active scheduling run per event; on PostgreSQL, no person in two meetings at once.

The overlap guard is PostgreSQL-only SQL (see meetings/domain/bookings.py for the design):
each seat gets a copy of its slot's start and end, kept by triggers, and an exclusion
constraint over (participant, time range). The columns are not model fields: no code
reads them, and leaving them to the database keeps every writer of seats unchanged.
SQLite has no exclusion constraints; the domain checks inside its serialised writes.
"""

from django.db import migrations, models

ACTIVE = ["queued", "running"]

OVERLAP_GUARD = """
CREATE EXTENSION IF NOT EXISTS btree_gist;

ALTER TABLE meetings_meetingseat
    ADD COLUMN starts_at timestamptz,
    ADD COLUMN ends_at timestamptz;
UPDATE meetings_meetingseat AS seat
    SET starts_at = slot.starts_at, ends_at = slot.ends_at
    FROM events_slot AS slot
    WHERE slot.id = seat.slot_id;
ALTER TABLE meetings_meetingseat
    ALTER COLUMN starts_at SET NOT NULL,
    ALTER COLUMN ends_at SET NOT NULL;

-- A seat always carries its slot's times, whoever writes it.
CREATE FUNCTION meetings_seat_take_slot_times() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT slot.starts_at, slot.ends_at INTO NEW.starts_at, NEW.ends_at
        FROM events_slot AS slot WHERE slot.id = NEW.slot_id;
    RETURN NEW;
END
$$;
CREATE TRIGGER meetings_seat_take_slot_times
    BEFORE INSERT OR UPDATE ON meetings_meetingseat
    FOR EACH ROW EXECUTE FUNCTION meetings_seat_take_slot_times();

-- Re-timing a session (events.domain.slots.sync_slots) moves its seats with it.
CREATE FUNCTION meetings_slot_times_to_seats() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE meetings_meetingseat SET starts_at = NEW.starts_at, ends_at = NEW.ends_at
        WHERE slot_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER meetings_slot_times_to_seats
    AFTER UPDATE OF starts_at, ends_at ON events_slot
    FOR EACH ROW
    WHEN (OLD.starts_at IS DISTINCT FROM NEW.starts_at OR OLD.ends_at IS DISTINCT FROM NEW.ends_at)
    EXECUTE FUNCTION meetings_slot_times_to_seats();

-- Checked at commit: sync_slots moves slots one at a time, so a session shifted by one
-- slot overlaps itself for an instant. Writers that want the refusal at the INSERT set it
-- IMMEDIATE (bookings.check_overlaps_at_once).
ALTER TABLE meetings_meetingseat
    ADD CONSTRAINT seat_no_overlapping_meetings
    EXCLUDE USING gist (participant_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
    DEFERRABLE INITIALLY DEFERRED;
"""

REMOVE_OVERLAP_GUARD = """
ALTER TABLE meetings_meetingseat DROP CONSTRAINT seat_no_overlapping_meetings;
DROP TRIGGER meetings_slot_times_to_seats ON events_slot;
DROP FUNCTION meetings_slot_times_to_seats();
DROP TRIGGER meetings_seat_take_slot_times ON meetings_meetingseat;
DROP FUNCTION meetings_seat_take_slot_times();
ALTER TABLE meetings_meetingseat DROP COLUMN starts_at, DROP COLUMN ends_at;
"""

# Pairs of seats that would break the constraint: reported by name instead of failing with
# a bare constraint error, so that the operator knows which meetings to cancel first.
EXISTING_OVERLAPS = """
SELECT a_request.key, b_request.key
FROM meetings_meetingseat AS a
JOIN meetings_meetingseat AS b ON b.participant_id = a.participant_id AND b.id > a.id
JOIN events_slot AS a_slot ON a_slot.id = a.slot_id
JOIN events_slot AS b_slot ON b_slot.id = b.slot_id
JOIN meetings_meeting AS a_meeting ON a_meeting.id = a.meeting_id
JOIN meetings_meeting AS b_meeting ON b_meeting.id = b.meeting_id
JOIN meetings_meetingrequest AS a_request ON a_request.id = a_meeting.request_id
JOIN meetings_meetingrequest AS b_request ON b_request.id = b_meeting.request_id
WHERE a_slot.starts_at < b_slot.ends_at AND b_slot.starts_at < a_slot.ends_at
LIMIT 20
"""


def settle_duplicate_active_runs(apps, schema_editor):
    """Earlier races may have left two active runs of one event: keep the newest."""
    SchedulingRun = apps.get_model("meetings", "SchedulingRun")
    seen = set()
    for run in SchedulingRun.objects.filter(status__in=ACTIVE).order_by("-created_at", "-pk"):
        if run.event_id in seen:
            run.status = "failed"
            run.error = "Superseded by a newer run of the same event."
            run.save(update_fields=["status", "error"])
        seen.add(run.event_id)


def add_overlap_guard(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(EXISTING_OVERLAPS)
        clashes = cursor.fetchall()
        if clashes:
            pairs = ", ".join(f"{a} and {b}" for a, b in clashes)
            raise RuntimeError(
                "Some people have two meetings at once; cancel or move one of each pair, "
                f"then migrate again: {pairs}"
            )
        # Without parameters, so that psycopg runs the statements as one script.
        cursor.execute(OVERLAP_GUARD)


def remove_overlap_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(REMOVE_OVERLAP_GUARD)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0004_schedulingrun_meetingoutcome"),
    ]

    operations = [
        migrations.RunPython(settle_duplicate_active_runs, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="schedulingrun",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ACTIVE)),
                fields=("event",),
                name="scheduling_run_one_active_per_event",
            ),
        ),
        migrations.RunPython(add_overlap_guard, remove_overlap_guard),
    ]
