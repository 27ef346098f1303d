import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from superconnector.matchmaking.models import MatchingRun, MeetingSuggestion
from superconnector.meetings.domain.scheduling import (
    STAGE_SOLVING,
    displayed_progress,
    run_scheduling,
    schedule_quality,
)
from superconnector.meetings.models import Meeting, SchedulingRun
from superconnector.meetings.runs import start_scheduling

pytestmark = pytest.mark.django_db


def test_scheduling_runs_as_a_task_and_records_its_figures(
    event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = start_scheduling(event, time_limit=5)
        assert run.status == SchedulingRun.Status.QUEUED
    assert len(callbacks) == 1
    run.refresh_from_db()
    assert run.status == SchedulingRun.Status.DONE and run.progress == 1.0
    assert run.stats["scheduled"] == 2 == run.stats["upper_bound"]  # r1 (locked) and r3
    assert run.stats["people_without_meeting"] == 0
    assert run.started_at <= run.finished_at
    assert set(Meeting.objects.values_list("request__key", flat=True)) == {"r1", "r3"}


def test_an_active_run_is_not_started_twice(event):
    first = start_scheduling(event, time_limit=5)  # no commit in this test: stays queued
    assert start_scheduling(event, time_limit=5) == first
    assert SchedulingRun.objects.count() == 1


def test_progress_inside_the_solving_stage_follows_the_clock(event):
    now = timezone.now()
    run = SchedulingRun.objects.create(
        event=event,
        status="running",
        stage=STAGE_SOLVING,
        progress=0.1,
        time_limit=10,
        started_at=now - dt.timedelta(seconds=5),
    )
    assert displayed_progress(run, now) == pytest.approx(0.5)
    assert displayed_progress(run, now + dt.timedelta(seconds=60)) == pytest.approx(0.9)


def test_progress_fragment_polls_while_running_and_stops_when_done(orga_client, event):
    run = SchedulingRun.objects.create(
        event=event, status="running", stage="building the problem", progress=0.05
    )
    url = reverse("backoffice:scheduling-progress", args=[event.slug, run.pk])
    response = orga_client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'hx-trigger="every 1s"' in response.text and f'hx-get="{url}"' in response.text
    assert 'aria-valuenow="5"' in response.text and "building the problem" in response.text
    assert "<html" not in response.text  # a fragment, not a page
    run.status, run.progress = "done", 1.0
    run.stats = {"upper_bound": 2, "idle_gaps": 0, "optimal": True}
    run.save()
    response = orga_client.get(url)
    assert "hx-trigger" not in response.text
    assert 'aria-valuenow="100"' in response.text
    assert "proven upper bound" in response.text


def test_start_buttons_return_the_progress_fragment_to_htmx(
    orga_client, event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = orga_client.post(
            reverse("backoffice:scheduling-start", args=[event.slug]),
            {"time_limit": 5},
            headers={"HX-Request": "true"},
        )
    assert response.status_code == 200
    run = SchedulingRun.objects.get()
    assert run.time_limit == 5
    assert f'id="scheduling-run-{run.pk}"' in response.text
    run.refresh_from_db()
    assert run.status == "done"

    with django_capture_on_commit_callbacks(execute=True):
        response = orga_client.post(
            reverse("backoffice:matching-start", args=[event.slug]),
            headers={"HX-Request": "true"},
        )
    run = MatchingRun.objects.get()
    assert f'id="matching-run-{run.pk}"' in response.text
    run.refresh_from_db()
    assert run.status == "done" and MeetingSuggestion.objects.filter(event=event).exists()


def test_without_htmx_starting_redirects_to_the_runs_page(orga_client, event):
    response = orga_client.post(reverse("backoffice:scheduling-start", args=[event.slug]))
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:runs", args=[event.slug])


def test_schedule_quality_counts_people_without_a_meeting(event):
    quality = schedule_quality(event)
    # r1 is scheduled (imported, locked); r3 (p3 -> p1) is accepted but not scheduled.
    assert (quality.accepted, quality.scheduled) == (2, 1)
    assert quality.people_with_requests == 3  # p1, p2, p3
    assert quality.people_without_meeting == 1  # p3
    assert quality.upper_bound is None and quality.run is None


def test_runs_page_shows_the_quality(orga_client, event):
    response = orga_client.get(reverse("backoffice:runs", args=[event.slug]))
    assert response.context["quality"].scheduled == 1
    assert "proven upper bound" in response.text


def test_a_second_start_says_a_run_is_already_in_progress(orga_client, event):
    from superconnector.meetings.models import SchedulingRun

    running = SchedulingRun.objects.create(event=event, status="running", time_limit=60)
    response = orga_client.post(
        reverse("backoffice:scheduling-start", args=[event.slug]), follow=True
    )
    assert "already in progress" in response.text
    assert list(SchedulingRun.objects.filter(event=event)) == [running]


def test_a_run_nobody_takes_up_says_a_task_worker_is_needed(orga_client, event):
    run = MatchingRun.objects.create(event=event)
    url = reverse("backoffice:matching-progress", args=[event.slug, run.pk])
    assert "db_worker" not in orga_client.get(url).text  # a worker may just be busy
    MatchingRun.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=2)
    )
    response = orga_client.get(url)
    assert "No task worker has taken this run up" in response.text
    assert 'hx-trigger="every 1s"' in response.text  # still polling: it starts when one runs
    MatchingRun.objects.filter(pk=run.pk).update(status="running")
    assert "db_worker" not in orga_client.get(url).text


def figure(html: str, label: str) -> str:
    """The number shown above `label` in a block of figures."""
    import re

    return re.search(rf"<strong>([^<]*)</strong><span>{label}", html).group(1)


def test_a_finished_run_replaces_the_pages_stale_quality_figures(
    orga_client, event, django_capture_on_commit_callbacks
):
    page = orga_client.get(reverse("backoffice:runs", args=[event.slug])).text
    assert page.count('id="schedule-quality"') == 1 and "hx-swap-oob" not in page
    assert figure(page, "meetings scheduled") == "1"  # before the run: r1 only
    with django_capture_on_commit_callbacks(execute=True):
        run = start_scheduling(event, time_limit=5)
    url = reverse("backoffice:scheduling-progress", args=[event.slug, run.pk])
    answer = orga_client.get(url, headers={"HX-Request": "true"}).text
    replacement = answer[answer.index('<div id="schedule-quality" hx-swap-oob="true">') :]
    assert figure(replacement, "meetings scheduled") == "2"  # r1 and r3
    assert figure(replacement, "proven upper bound") == "2"
    assert "Bound and idle gaps from the run of" in replacement


def test_a_run_still_going_leaves_the_pages_figures_alone(orga_client, event):
    run = SchedulingRun.objects.create(event=event, status="running", progress=0.5)
    url = reverse("backoffice:scheduling-progress", args=[event.slug, run.pk])
    assert "schedule-quality" not in orga_client.get(url, headers={"HX-Request": "true"}).text


def test_a_run_on_the_day_says_how_many_slots_it_left_out(orga_client, event):
    """Sessions am (7 slots) and pm (6) on 2026-12-08 in Asia/Shanghai; at 14:30 nine began."""
    now = dt.datetime(2026, 12, 8, 14, 30, tzinfo=event.tzinfo)
    run = run_scheduling(SchedulingRun.objects.create(event=event, time_limit=5), now=now)
    assert run.stats["slots_begun"] == 9
    assert not Meeting.objects.filter(slot__starts_at__lte=now).exclude(request__key="r1").exists()
    page = orga_client.get(reverse("backoffice:runs", args=[event.slug]))
    assert "9 slots that have begun were left out" in page.text
