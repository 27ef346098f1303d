"""Matching and scheduling runs: start them, and a progress fragment that htmx polls."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from superconnector.backoffice.forms import SchedulingForm
from superconnector.backoffice.views.common import is_htmx, organiser_view, render_page
from superconnector.events.models import Event, Right
from superconnector.matchmaking.models import MatchingRun
from superconnector.matchmaking.runs import active_matching_run, start_matching
from superconnector.meetings.domain.drafts import (
    DraftRefused,
    apply_draft,
    discard_draft,
    draft_lines,
    is_stale,
    pending_draft,
)
from superconnector.meetings.domain.schedule import begun_slots_message
from superconnector.meetings.domain.scheduling import (
    STAGE_LABELS,
    displayed_progress,
    schedule_quality,
)
from superconnector.meetings.models import ScheduleDraft, SchedulingRun
from superconnector.meetings.runs import active_run, start_scheduling

FINISHED = ("done", "failed")
# A worker polls every second: a run still queued after this has nobody to carry it out.
WORKER_WAIT = dt.timedelta(minutes=1)


@organiser_view(Right.VIEW)
def runs(request: HttpRequest, event: Event) -> HttpResponse:
    matching = MatchingRun.objects.filter(event=event).first()
    scheduling = SchedulingRun.objects.filter(event=event).first()
    return render_page(
        request,
        "backoffice/runs.html",
        event,
        "runs",
        {
            "matching": _progress_context(event, "matching", matching) if matching else None,
            "scheduling": _progress_context(event, "scheduling", scheduling)
            if scheduling
            else None,
            "form": SchedulingForm(),
            "quality": schedule_quality(event),
            "draft": pending_draft(event),
            "published": event.schedule_published_at is not None,
        },
    )


def _progress_context(event: Event, kind: str, run, *, refresh_page: bool = False) -> dict:
    """What the progress card shows. `refresh_page` (the card's own htmx answers): once a
    scheduling run is done, the page's schedule quality further down is replaced too, so
    the page does not show the figures from before the run beside those after it."""
    progress = displayed_progress(run) if kind == "scheduling" else run.progress
    return {
        "event": event,
        "kind": kind,
        "run": run,
        "finished": run.status in FINISHED,
        "no_worker": run.status == "queued" and timezone.now() - run.created_at > WORKER_WAIT,
        "percent": round(100 * progress),
        "stage": STAGE_LABELS.get(run.stage, run.stage),
        "url": reverse(f"backoffice:{kind}-progress", kwargs={"slug": event.slug, "pk": run.pk}),
        "quality": schedule_quality(event)
        if kind == "scheduling" and run.status == "done"
        else None,
        "begun_message": begun_slots_message(run.stats["slots_begun"])
        if kind == "scheduling" and run.status == "done" and run.stats.get("slots_begun")
        else "",
        "refresh_page": refresh_page,
        "draft": _run_draft(run) if kind == "scheduling" and run.status == "done" else None,
    }


def _run_draft(run: SchedulingRun) -> ScheduleDraft | None:
    return ScheduleDraft.objects.filter(run=run).first()


def _started(request: HttpRequest, event: Event, kind: str, run, running_before) -> HttpResponse:
    if is_htmx(request):
        context = _progress_context(event, kind, run, refresh_page=True)
        return render(request, "backoffice/_progress.html", context)
    if running_before is not None and running_before.pk == run.pk:
        # A second click, or a colleague's: one run at a time, and this is it.
        messages.info(request, _("A run is already in progress; here is its progress."))
    else:
        messages.success(request, _("Started."))
    return redirect("backoffice:runs", slug=event.slug)


@require_POST
@organiser_view(Right.SCHEDULE)
def matching_start(request: HttpRequest, event: Event) -> HttpResponse:
    before = active_matching_run(event)
    return _started(request, event, "matching", start_matching(event), before)


@require_POST
@organiser_view(Right.SCHEDULE)
def scheduling_start(request: HttpRequest, event: Event) -> HttpResponse:
    form = SchedulingForm(request.POST)
    time_limit = form.cleaned_data["time_limit"] if form.is_valid() else 60
    before = active_run(event)
    return _started(request, event, "scheduling", start_scheduling(event, time_limit), before)


@organiser_view(Right.VIEW)
def matching_progress(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    run = get_object_or_404(MatchingRun, event=event, pk=pk)
    context = _progress_context(event, "matching", run, refresh_page=True)
    return render(request, "backoffice/_progress.html", context)


@organiser_view(Right.VIEW)
def scheduling_progress(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    run = get_object_or_404(SchedulingRun, event=event, pk=pk)
    context = _progress_context(event, "scheduling", run, refresh_page=True)
    return render(request, "backoffice/_progress.html", context)


@require_safe
@organiser_view(Right.VIEW, personal_data="schedule draft")
def scheduling_draft(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    """A re-planned schedule kept aside after publication: its counts and every person's
    changes, with apply and discard while it waits for a decision."""
    draft = get_object_or_404(ScheduleDraft, event=event, pk=pk)
    waiting = draft.status == ScheduleDraft.Status.PENDING
    return render_page(
        request,
        "backoffice/draft.html",
        event,
        "runs",
        {
            "draft": draft,
            "waiting": waiting,
            "stale": waiting and is_stale(draft),
            "lines": draft_lines(draft),
        },
    )


@require_POST
@organiser_view(Right.SCHEDULE, personal_data="schedule draft")
def scheduling_draft_decide(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    """Apply the draft (writes the schedule; delegates hear of it at the next publication)
    or discard it."""
    draft = get_object_or_404(ScheduleDraft, event=event, pk=pk)
    action = request.POST.get("action", "")
    try:
        if action == "apply":
            apply_draft(draft, request.user)
            messages.success(
                request,
                _(
                    "The draft is applied: the schedule is written. Delegates are told what "
                    "changed for them when you publish it."
                ),
            )
        elif action == "discard":
            discard_draft(draft, request.user)
            messages.success(request, _("The draft is discarded; the schedule is unchanged."))
        else:
            messages.error(request, _("Choose apply or discard."))
    except DraftRefused as refused:
        messages.error(request, str(refused))
        return redirect("backoffice:scheduling-draft", slug=event.slug, pk=draft.pk)
    return redirect("backoffice:runs", slug=event.slug)
