"""My organisation: its profile and its opportunities."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from superconnector.directory.domain.ownership import decide_proposal, proposals_awaiting
from superconnector.directory.models import Opportunity, ProposalStatus
from superconnector.portal.domain.profile import (
    delete_opportunity,
    proposal_groups,
    proposals_made,
    proposed_any,
    proposes_changes,
    save_opportunity,
    save_organisation_profile,
    save_person_details,
)
from superconnector.portal.forms import OpportunityForm, OrganisationForm, PersonDetailsForm
from superconnector.portal.views.common import delegate_view, render_page


@delegate_view
def profile(request: HttpRequest, event, participant) -> HttpResponse:
    link = participant.event_organisation
    # The page has two forms: my own details, and my organisation's profile (the default).
    posted = request.POST.get("form", "organisation") if request.method == "POST" else ""
    person_form = PersonDetailsForm(
        request.POST if posted == "person" else None, instance=participant.person, prefix="person"
    )
    if posted == "person" and person_form.is_valid():
        save_person_details(person_form.save(commit=False), actor=request.user, event=event)
        messages.success(request, _("Your details are saved."))
        return redirect("portal:profile", slug=event.slug)
    form = OrganisationForm(
        request.POST if posted == "organisation" else None, instance=link.organisation
    )
    if posted == "organisation" and form.is_valid():
        # An owner's edit applies at once; a delegate who is not among the organisation's
        # owners proposes it to them. Audited in every event that shows it
        # (directory/domain/ownership.py).
        changes = save_organisation_profile(
            form.save(commit=False),
            language=form.cleaned_data["language"],
            actor=request.user,
            event=event,
        )
        if proposed_any(changes):
            messages.info(
                request,
                _(
                    "Your changes to filled fields are sent to the organisation's owners, "
                    "who accept or reject them; the rest is saved."
                ),
            )
        else:
            messages.success(request, _("Your organisation's profile is saved."))
        return redirect("portal:profile", slug=event.slug)
    opportunities = Opportunity.objects.filter(event_organisation=link).order_by(
        "direction", "title"
    )
    return render_page(
        request,
        "portal/profile.html",
        participant,
        "profile",
        {
            "form": form,
            "person_form": person_form,
            "link": link,
            "opportunities": opportunities,
            "proposal_groups": proposal_groups(request.user),
            "proposes": proposes_changes(request.user, link.organisation, event),
            "my_proposals": proposals_made(request.user, link.organisation),
        },
    )


@require_POST
@delegate_view
def proposal_decide(request: HttpRequest, event, participant, pk: int) -> HttpResponse:
    """Accept or reject a change another event's organisers proposed to my records."""
    proposal = proposals_awaiting(request.user).filter(pk=pk).first()
    if proposal is None:
        raise Http404("no such proposal awaiting you")
    accept = request.POST.get("decision") == "accept"
    status = decide_proposal(proposal, request.user, accept=accept)
    if status == ProposalStatus.SUPERSEDED:
        messages.warning(
            request, _("That value changed meanwhile; the proposal no longer applies.")
        )
    elif status == ProposalStatus.ACCEPTED:
        messages.success(request, _("The change is accepted."))
    else:
        messages.success(request, _("The change is rejected."))
    return redirect("portal:profile", slug=event.slug)


def _own_opportunity(participant, pk: int) -> Opportunity:
    opportunity = Opportunity.objects.filter(
        pk=pk, event_organisation_id=participant.event_organisation_id
    ).first()
    if opportunity is None:
        raise Http404("not an opportunity of your organisation")
    return opportunity


@delegate_view
def opportunity_edit(request: HttpRequest, event, participant, pk: int | None = None):
    opportunity = _own_opportunity(participant, pk) if pk else Opportunity()
    form = OpportunityForm(request.POST or None, instance=opportunity)
    if request.method == "POST" and form.is_valid():
        save_opportunity(
            form.save(commit=False),
            participant.event_organisation,
            language=form.cleaned_data["language"],
        )
        messages.success(request, _("The opportunity is saved."))
        return redirect("portal:profile", slug=event.slug)
    return render_page(
        request,
        "portal/opportunity_form.html",
        participant,
        "profile",
        {"form": form, "opportunity": opportunity},
    )


@require_POST
@delegate_view
def opportunity_delete(request: HttpRequest, event, participant, pk: int) -> HttpResponse:
    opportunity = _own_opportunity(participant, pk)
    delete_opportunity(opportunity)
    messages.success(request, _("“%(title)s” is deleted.") % {"title": opportunity.title})
    return redirect("portal:profile", slug=event.slug)
