"""The visibility matrix: every place a person appears, for each state that unlists them.

The rule is directory/domain/visibility.py: someone withdrawn, erased, disabled, or whose
organisation awaits review or is hidden, is seen by no other delegate and by no run. Here
Amy (p1, a delegate) looks for Zhang Wei (p2, Zhiyuan AI) everywhere: he is suggested to
her, sent her a request (r1) that was accepted and scheduled, the schedule is published.
Each place is first checked to show him while he is listed (so that each check can fail),
then in each state to show him no more, or to refuse (404).

The states are set by plain updates, which send no save signal: the unlisting cascade
(meetings/domain/unlisting.py, tested in tests/meetings/test_unlisting.py) does not run,
so his request and meeting are still there and every place must apply the rule itself.

Coverage is generated like the permission matrix's: every route from Django's resolver and
every API operation from the OpenAPI schema must be in PLACES (checked) or in NAMES_NOBODY
(with the reason it names no other delegate); the back office is the organisers' (who see
everyone, marked as not listed). A new place without an entry fails `test_every_*`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db.models import Q
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import timezone

from superconnector.api.domain.tokens import issue_token
from superconnector.core.models import User
from superconnector.directory.models import (
    EventOrganisation,
    Opportunity,
    Participant,
    Person,
    ReviewStatus,
)
from superconnector.events.models import Event
from superconnector.exchange.importer import import_document
from superconnector.matchmaking.domain.matching import ensure_recommendations
from superconnector.matchmaking.models import (
    Feedback,
    MeetingSuggestion,
    OpportunityMatch,
    OrganisationMatch,
)
from superconnector.meetings.domain.schedule import schedule_event
from superconnector.meetings.models import Meeting, MeetingRequest
from superconnector.portal.domain.feeds import calendar_token
from tests.factories import answer_consents
from tests.security.test_permission_matrix import _route_names, _schema_operations

pytestmark = pytest.mark.django_db

PERSON, ORGANISATION = "person", "organisation"


# --- the states: each unlists Zhang Wei, at the level of his person or his organisation ------


STATES: dict[str, tuple[str, Callable]] = {
    "profile withdrawn": (
        PERSON,
        lambda w: Person.objects.filter(pk=w.zhang.person_id).update(profile_hidden=True),
    ),
    "erased": (
        # Only the mark: the rule must not lean on the anonymisation that comes with it.
        PERSON,
        lambda w: Person.objects.filter(pk=w.zhang.person_id).update(erased_at=timezone.now()),
    ),
    "account disabled": (
        PERSON,
        lambda w: User.objects.filter(pk=w.zhang.person.user_id).update(is_active=False),
    ),
    "organisation awaiting review": (
        ORGANISATION,
        lambda w: EventOrganisation.objects.filter(pk=w.zhang.event_organisation_id).update(
            review_status=ReviewStatus.PENDING
        ),
    ),
    "organisation hidden": (
        ORGANISATION,
        lambda w: EventOrganisation.objects.filter(pk=w.zhang.event_organisation_id).update(
            review_status=ReviewStatus.HIDDEN
        ),
    ),
}

# What names him, in a page or a JSON answer; an organisation-level state hides his
# organisation, its other delegate (Li Na) and its opportunity (o1) too.
MARKERS = {
    PERSON: ["Zhang Wei", "zhang.wei@example.com", '"p2"', "to=p2"],
    ORGANISATION: [
        "Zhang Wei",
        "zhang.wei@example.com",
        '"p2"',
        "to=p2",
        "Zhiyuan AI",
        "智元人工智能",
        '"zhiyuan"',
        "寻求香港上市法律顾问",
        '"o1"',
        "Li Na",
    ],
}


def names(text: str, level: str) -> bool:
    return any(marker in text for marker in MARKERS[level])


# --- the world -----------------------------------------------------------------------------


@dataclass
class World:
    event: Event
    amy: Participant
    zhang: Participant
    client: Client
    token: str

    def page(self, path: str, **extra) -> tuple[int, str]:
        response = self.client.get(f"/events/{self.event.slug}/{path}", **extra)
        return response.status_code, response.content.decode()

    def post(self, path: str, data: dict) -> tuple[int, str]:
        response = self.client.post(
            f"/events/{self.event.slug}/{path}", data, headers={"HX-Request": "true"}
        )
        return response.status_code, response.content.decode()

    def api(self, method: str, path: str, body: dict | None = None) -> tuple[int, str]:
        headers = {"Authorization": f"Bearer {self.token}"}
        url = f"/api/v1/events/{self.event.slug}/{path}"
        if method == "post":
            response = Client().post(
                url, body or {}, content_type="application/json", headers=headers
            )
        else:
            response = Client().get(url, headers=headers)
        return response.status_code, response.content.decode()


@pytest.fixture
def world(document, django_user_model) -> World:
    import_document(document)
    event = Event.objects.get(slug="bj-hk-2026")
    amy = Participant.objects.select_related("person").get(event=event, key="p1")
    zhang = Participant.objects.select_related("person").get(event=event, key="p2")
    for participant in (amy, zhang):
        user = django_user_model.objects.create_user(
            participant.person.email.lower(), "a-long-password"
        )
        participant.person.user = user
        participant.person.save()
        answer_consents(participant.person)
    ensure_recommendations(event, force=True)
    MeetingSuggestion.objects.get_or_create(
        event=event, participant=amy, suggested=zhang, defaults={"score": 0.9, "rank": 9}
    )
    event.schedule_published_at = timezone.now()
    event.save()
    client = Client()
    client.force_login(amy.person.user)
    token = issue_token("amy", event=event, participant=amy)[1]
    return World(event, amy, zhang, client, token)


# --- the places ------------------------------------------------------------------------------
# Each answers: does Amy (or the run) still meet Zhang Wei here, at this level? A refusal
# (404) is "no"; a POST that stores something about him is "yes" whatever it answers.


def _shown(level: str, answer: tuple[int, str]) -> bool:
    status, text = answer
    return status != 404 and names(text, level)


def _directory(w: World, level: str) -> bool:
    views = ["show=people", "show=people&q=Zhang", "show=organisations", "show=opportunities"]
    return any(_shown(level, w.page(f"directory/?{query}")) for query in views)


def _request_form(w: World, level: str) -> bool:
    return _shown(level, w.page("meetings/new/?to=p2")) or _shown(
        level, w.page("meetings/new/?organisation=zhiyuan")
    )


def _quick_request(w: World, level: str) -> bool:
    before = MeetingRequest.objects.count()
    status, _text = w.post("recommendations/request/", {"participant": w.zhang.pk})
    return status != 404 or MeetingRequest.objects.count() > before


def _feedback(w: World, level: str) -> bool:
    targets = [f"person:{w.zhang.pk}"]
    if level == ORGANISATION:
        targets.append(f"opportunity:{Opportunity.objects.get(key='o1').pk}")
    for target in targets:
        status, _text = w.post(
            "recommendations/feedback/", {"target": target, "verdict": "not_relevant"}
        )
        if status != 404 or Feedback.objects.exists():
            return True
    return False


def _form_post(w: World, level: str) -> bool:
    before = MeetingRequest.objects.count()
    answer = w.post("meetings/new/", {"to": "p2", "recipient": w.zhang.pk, "priority": 2})
    return _shown(level, answer) or MeetingRequest.objects.count() > before


def _outcome(w: World, level: str) -> bool:
    meeting = Meeting.objects.get(request__key="r1")
    return _shown(level, w.page(f"agenda/meetings/{meeting.pk}/outcome/"))


def _calendar(w: World, level: str) -> bool:
    return _shown(level, w.page(f"agenda/calendar/{calendar_token(w.amy)}.ics"))


def _export(w: World, level: str) -> bool:
    return names(w.client.get(reverse("privacy:download")).content.decode(), level)


def _matching_run(w: World, level: str) -> bool:
    ensure_recommendations(w.event, force=True)
    z = w.zhang
    suggested = MeetingSuggestion.objects.filter(Q(participant=z) | Q(suggested=z)).exists()
    if level == PERSON:
        return suggested
    link = z.event_organisation
    return (
        suggested
        or OpportunityMatch.objects.filter(
            Q(need__event_organisation=link) | Q(offer__event_organisation=link)
        ).exists()
        or OrganisationMatch.objects.filter(Q(organisation=link) | Q(partner=link)).exists()
    )


def _scheduling_run(w: World, level: str) -> bool:
    run = schedule_event(w.event, time_limit=5)
    return (
        "r1" in run.problem.request_by_id
        or Meeting.objects.filter(seats__participant=w.zhang).exists()
    )


def _api(method: str, path: str, body: dict | None = None):
    return lambda w, level: _shown(level, w.api(method, path, body))


def _api_found(method: str, path: str):
    """An action on r1: found (any answer but 404) means the request still reaches him."""
    return lambda w, level: w.api(method, path)[0] != 404


def _api_search(show: str, query: str):
    """The API's search, everything and a query that names him or his organisation."""
    paths = [f"search/{show}?page_size=100", f"search/{show}?page_size=100&q={query}"]
    return lambda w, level: any(_shown(level, w.api("get", path)) for path in paths)


BOTH = (PERSON, ORGANISATION)


@dataclass(frozen=True)
class Place:
    check: Callable[[World, str], bool]
    levels: tuple[str, ...] = BOTH  # the levels at which the place shows him when listed


PLACES: dict[str, Place] = {
    # portal routes
    "portal:directory": Place(_directory),
    "portal:organisation": Place(lambda w, lv: _shown(lv, w.page("organisations/zhiyuan/"))),
    "portal:recommendations": Place(lambda w, lv: _shown(lv, w.page("recommendations/"))),
    "portal:recommendation-feedback": Place(_feedback),
    "portal:recommendation-request": Place(_quick_request),
    "portal:meetings": Place(lambda w, lv: _shown(lv, w.page("meetings/"))),
    "portal:request-create": Place(lambda w, lv: _request_form(w, lv) or _form_post(w, lv)),
    "portal:agenda": Place(lambda w, lv: _shown(lv, w.page("agenda/"))),
    "portal:outcome": Place(_outcome),
    "portal:calendar": Place(_calendar),
    "privacy:download": Place(_export),
    # API operations
    "get /api/v1/events/{slug}/participants": Place(_api("get", "participants")),
    "get /api/v1/events/{slug}/participants/{key}": Place(_api("get", "participants/p2")),
    "get /api/v1/events/{slug}/organisations": Place(_api("get", "organisations"), (ORGANISATION,)),
    "get /api/v1/events/{slug}/organisations/{key}": Place(
        _api("get", "organisations/zhiyuan"), (ORGANISATION,)
    ),
    "get /api/v1/events/{slug}/opportunities": Place(_api("get", "opportunities"), (ORGANISATION,)),
    "get /api/v1/events/{slug}/opportunities/{key}": Place(
        _api("get", "opportunities/o1"), (ORGANISATION,)
    ),
    "get /api/v1/events/{slug}/search/people": Place(_api_search("people", "Zhang")),
    "get /api/v1/events/{slug}/search/organisations": Place(
        _api_search("organisations", "Zhiyuan"), (ORGANISATION,)
    ),
    "get /api/v1/events/{slug}/search/opportunities": Place(
        _api_search("opportunities", "上市"), (ORGANISATION,)
    ),
    "get /api/v1/events/{slug}/recommendations": Place(
        _api("get", "recommendations"), (ORGANISATION,)
    ),
    "get /api/v1/events/{slug}/meeting-requests": Place(_api("get", "meeting-requests")),
    "post /api/v1/events/{slug}/meeting-requests": Place(
        _api("post", "meeting-requests", {"recipient": "p2"})
    ),
    "get /api/v1/events/{slug}/meeting-requests/{key}": Place(_api("get", "meeting-requests/r1")),
    "post /api/v1/events/{slug}/meeting-requests/{key}/accept": Place(
        _api_found("post", "meeting-requests/r1/accept")
    ),
    "post /api/v1/events/{slug}/meeting-requests/{key}/decline": Place(
        _api_found("post", "meeting-requests/r1/decline")
    ),
    "post /api/v1/events/{slug}/meeting-requests/{key}/cancel": Place(
        _api("post", "meeting-requests/r1/cancel")
    ),
    "get /api/v1/events/{slug}/meetings": Place(_api("get", "meetings")),
    # runs, which no route names
    "matching run": Place(_matching_run),
    "scheduling run": Place(_scheduling_run),
}

# Routes and operations that name no other delegate, and why.
NAMES_NOBODY: dict[str, str] = {
    **dict.fromkeys(
        [
            "home",
            "set_language",
            "login",
            "logout",
            "sign-in-link",
            "sign-in-link-sent",
            "sign-in-with-link",
            "password_reset",
            "password_reset_done",
            "password_reset_confirm",
            "password_reset_complete",
            "password_change",
            "password_change_done",
            "two-factor",
            "two-factor-setup",
            "two-factor-verify",
            "two-factor-recovery",
            "two-factor-recovery-codes",
            "privacy:my-data",
            "privacy:welcome",
            "privacy:erase",
            "email-change",
            "email-change-confirm",
            "portal:proposal-decide",
        ],
        "the caller's own account",
    ),
    "event-detail": "the event and its counts, no one by name",
    "api-docs-asset": "static files",
    "api-v1:openapi-json": "the API's description",
    "api-v1:openapi-view": "the API's description",
    "api-v1:api-root": "no page",
    "admin:index": "platform staff, who see everyone",
    "portal:availability": "the delegate's own sessions and blocked times",
    "portal:profile": "the delegate's own organisation",
    "portal:opportunity-create": "the delegate's own organisation",
    "portal:opportunity-edit": "the delegate's own organisation",
    "portal:opportunity-delete": "the delegate's own organisation",
    "portal:request-accept": "a fixed answer about one's own request; the lists name people",
    "portal:request-decline": "a fixed answer about one's own request; the lists name people",
    "portal:request-cancel": "a fixed answer about one's own request; the lists name people",
    "get /api/v1/events": "the caller's events",
    "get /api/v1/events/{slug}": "the event itself",
    "get /api/v1/events/{slug}/schedule": "organisers only, who see everyone",
}
# The back office is the organisers': they see everyone, marked as not listed.
ORGANISER_PREFIXES = ("backoffice:",)


# --- coverage: a place nobody has decided about fails ---------------------------------------


def test_every_route_has_an_entry():
    routes = {n for n in _route_names(get_resolver().url_patterns)}
    routes = {n for n in routes if not n.startswith(ORGANISER_PREFIXES)}
    # API routes are checked as operations below (their names are Ninja's, not stable).
    routes = {n for n in routes if not n.startswith("api-v1:") or n in NAMES_NOBODY}
    unlisted = routes - set(PLACES) - set(NAMES_NOBODY)
    assert not unlisted, f"routes without a visibility entry: {sorted(unlisted)}"
    stale = {n for n in set(PLACES) | set(NAMES_NOBODY) if ":" in n and " " not in n} - routes
    assert not stale - {"api-v1:api-root"}, f"entries for routes that do not exist: {stale}"


def test_every_api_operation_has_an_entry():
    operations = {f"{method} {path}" for method, path in _schema_operations()}
    unlisted = operations - set(PLACES) - set(NAMES_NOBODY)
    assert not unlisted, f"API operations without a visibility entry: {sorted(unlisted)}"
    listed = {n for n in set(PLACES) | set(NAMES_NOBODY) if n.startswith(("get ", "post "))}
    assert not listed - operations, "entries for operations that no longer exist"


# --- the matrix ------------------------------------------------------------------------------


def _cases(levels=BOTH):
    for name, place in sorted(PLACES.items()):
        for level in place.levels:
            if level in levels:
                yield name, level


@pytest.mark.parametrize(("place", "level"), list(_cases()))
def test_each_place_shows_him_while_he_is_listed(world, place, level):
    """The guard on the guard: every check below can fail."""
    assert PLACES[place].check(world, level), f"{place} does not show a listed delegate"


def _unlisted_cases():
    """Every state at every place that shows what the state hides: a place that shows only
    organisations (the API's organisations, say) rightly still shows his when only he,
    not his organisation, is unlisted."""
    for state, (level, _apply) in sorted(STATES.items()):
        for name, place in sorted(PLACES.items()):
            if level in place.levels:
                yield name, state


@pytest.mark.parametrize(("place", "state"), list(_unlisted_cases()))
def test_an_unlisted_delegate_is_absent_everywhere(world, place, state):
    level, apply = STATES[state]
    apply(world)
    world.zhang.refresh_from_db()
    assert not PLACES[place].check(world, level), f"{place} still shows him ({state})"


def test_the_matrix_names_every_state_the_rule_knows():
    """A state added to the rule without a row here fails: the hidden-people condition and
    the organisation statuses are what STATES must cover."""
    from superconnector.directory.domain.visibility import hidden_people_q

    fields = {child[0] for child in hidden_people_q().children}
    assert fields == {
        "person__profile_hidden",
        "person__erased_at__isnull",
        "person__user__is_active",
    }
    assert set(ReviewStatus.values) - {ReviewStatus.PUBLISHED} == {"pending", "hidden"}
    assert len(STATES) == len(fields) + 2


def test_the_json_of_an_answer_is_what_the_markers_read():
    """'"p2"' matches a key in JSON, not "p21" or a word: a sanity check of the markers."""
    assert names(json.dumps({"key": "p2"}), PERSON)
    assert not names(json.dumps({"key": "p21"}), PERSON)
