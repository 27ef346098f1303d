"""My recommendations, with feedback and meeting requests answered in place (HTMX)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from superconnector.directory.domain.visibility import requestable_participants
from superconnector.matchmaking.models import Verdict
from superconnector.meetings.domain.requests import RequestRefused, send_request
from superconnector.portal.domain.recommendations import (
    judge_recommendation,
    recommendations_for,
)
from superconnector.portal.views.common import delegate_view, is_htmx, render_page


@delegate_view
def recommendations(request: HttpRequest, event, participant) -> HttpResponse:
    return render_page(
        request,
        "portal/recommendations.html",
        participant,
        "recommendations",
        {"recommendations": recommendations_for(participant), "verdicts": Verdict.choices},
    )


def _answer(request, event, message: str, *, ok: bool) -> HttpResponse:
    if is_htmx(request):
        return render(request, "portal/_notice.html", {"message": message, "ok": ok})
    (messages.success if ok else messages.error)(request, message)
    return redirect("portal:recommendations", slug=event.slug)


@require_POST
@delegate_view
def feedback(request: HttpRequest, event, participant) -> HttpResponse:
    verdict = request.POST.get("verdict", "")
    target = request.POST.get("target", "")
    name = judge_recommendation(participant, verdict, target)
    if name is None:
        raise Http404("no such recommendation")
    label = dict(Verdict.choices)[verdict]
    message = _("%(name)s: marked “%(verdict)s”. It will not be recommended to you again.") % {
        "name": name,
        "verdict": label,
    }
    if is_htmx(request) and target.startswith("person:"):
        # The people list refills in place: the next colleague or organisation moves up.
        return render(
            request,
            "portal/_people.html",
            {
                "event": event,
                "recommendations": recommendations_for(participant),
                "verdicts": Verdict.choices,
                "notice": message,
                **_action_urls(event),
            },
        )
    return _answer(request, event, message, ok=True)


def _action_urls(event) -> dict[str, str]:
    """The URLs the people cards' forms post to (recommendations.html reverses them once)."""
    return {
        "feedback_url": reverse("portal:recommendation-feedback", args=[event.slug]),
        "quick_request_url": reverse("portal:recommendation-request", args=[event.slug]),
    }


@require_POST
@delegate_view
def quick_request(request: HttpRequest, event, participant) -> HttpResponse:
    """Request a meeting from a recommendation, without a message (normal priority)."""
    pk = request.POST.get("participant", "")
    # Only someone the delegate may ask: an unlisted person is not found, as if absent.
    recipient = (
        requestable_participants(participant)
        .select_related("person", "event", "event_organisation__organisation")
        .filter(pk=int(pk))
        .first()
        if pk.isdigit()
        else None
    )
    if recipient is None:
        raise Http404("no such participant")
    try:
        send_request(participant, recipient, actor=request.user, source="web")
    except RequestRefused as refusal:
        # htmx swaps only 2xx answers in place, so a refusal is a 200 carrying the reason.
        return _answer(request, event, str(refusal), ok=False)
    return _answer(
        request,
        event,
        _("Meeting request sent to %(name)s.") % {"name": recipient.person.name},
        ok=True,
    )
