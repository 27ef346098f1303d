"""The permission matrix: every route and every API operation, as each role.

Routes come from Django's URL resolver and operations from the OpenAPI schema, so a new
route or operation without an entry in ROUTES or OPERATIONS fails `test_every_*_has_an_entry`
until someone decides who may use it.

Each entry names its audience; `expected()` turns that into the outcome for each role:
"allowed" (the view ran: 2xx, 3xx or a 400/422 about the data), "login" (sent to sign in),
"forbidden" (403: an organiser without this right), "hidden" (404: nothing to see here,
not even whether it exists), "method" (405) and "unauthorised" (401, API).
Every role's requests run in a savepoint that is rolled back, so one role's POST does not
change what the next role sees.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from superconnector.api.api import api
from superconnector.backoffice.uploads import stage_import
from superconnector.core.models import BulkMailing
from superconnector.directory.models import Opportunity, ProposedChange
from superconnector.events.domain.access import ALL_RIGHTS
from superconnector.events.models import Event, Team
from superconnector.matchmaking.models import MatchingRun
from superconnector.meetings.domain.requests import send_request
from superconnector.meetings.models import Meeting, ScheduleDraft, SchedulingRun
from superconnector.portal.domain.feeds import calendar_token
from tests.scenario import Scenario

pytestmark = pytest.mark.django_db

WEB_ROLES = ["anonymous", "delegate", "outsider", "viewer", "desk", "organiser", "rival", "staff"]
API_ROLES = ["anonymous", "delegate", "outsider", "viewer", "desk", "organiser"]


@dataclass(frozen=True)
class Route:
    audience: str  # public, account, portal, feed, orga-list, orga-create, orga:<right>, staff
    write: str = ""  # orga pages whose POST needs another right than their GET
    post_only: bool = False
    get_only: bool = False  # read-only pages answer a POST with 405


V, E, X, S, C, T = (
    "orga:view",
    "orga:edit",
    "orga:export",
    "orga:schedule",
    "orga:check_in",
    "orga:teams",
)

ROUTES: dict[str, Route] = {
    "home": Route("public"),
    "event-detail": Route("public"),
    "set_language": Route("public"),  # a GET just goes back; only a POST changes the language
    "login": Route("public"),
    "logout": Route("public", post_only=True),
    "sign-in-link": Route("public"),
    "sign-in-link-sent": Route("public"),
    "sign-in-with-link": Route("public"),
    "email-change": Route("account"),
    "email-change-confirm": Route("public"),
    "password_reset": Route("public"),
    "password_reset_done": Route("public", get_only=True),
    "password_reset_confirm": Route("public"),
    "password_reset_complete": Route("public", get_only=True),
    "password_change": Route("account"),
    "password_change_done": Route("account", get_only=True),
    "two-factor": Route("account"),
    "two-factor-setup": Route("account"),
    "two-factor-verify": Route("account"),
    "two-factor-recovery": Route("account"),
    "two-factor-recovery-codes": Route("account"),
    "privacy:my-data": Route("account"),
    "privacy:welcome": Route("account"),
    "privacy:download": Route("account"),
    "privacy:erase": Route("account", post_only=True),
    "api-docs-asset": Route("public", get_only=True),
    "api-v1:openapi-json": Route("public"),
    "api-v1:openapi-view": Route("public"),
    "api-v1:api-root": Route("nothing"),  # Ninja's root: no page, 404 for everyone
    "admin:index": Route("staff"),
    "backoffice:events": Route("orga-list"),
    "backoffice:event-create": Route("orga-create"),
    "backoffice:dashboard": Route(V),
    "backoffice:event-edit": Route(V, write=E),
    "backoffice:sessions": Route(V, write=E),
    "backoffice:session-edit": Route(V, write=E),
    "backoffice:session-delete": Route(E, post_only=True),
    "backoffice:import": Route(E),
    "backoffice:import-detail": Route(E),
    "backoffice:import-apply": Route(E, post_only=True),
    "backoffice:import-progress": Route(E),
    "backoffice:profiles": Route(V, write=E),
    "backoffice:profile-detail": Route(V, get_only=True),
    "backoffice:invitations": Route(E),
    "backoffice:mailing-progress": Route(V),
    "backoffice:runs": Route(V),
    "backoffice:matching-start": Route(S, post_only=True),
    "backoffice:matching-progress": Route(V),
    "backoffice:scheduling-start": Route(S, post_only=True),
    "backoffice:scheduling-progress": Route(V),
    "backoffice:scheduling-draft": Route(V, get_only=True),
    "backoffice:scheduling-draft-decide": Route(S, post_only=True),
    "backoffice:publish": Route(S),
    "backoffice:checkin": Route(C),
    "backoffice:checkin-action": Route(C, post_only=True),
    "backoffice:badges": Route(C),
    "backoffice:teams": Route(T),
    "backoffice:team-edit": Route(T),
    "backoffice:team-delete": Route(T, post_only=True),
    "backoffice:audit": Route(T, get_only=True),
    "backoffice:exports": Route(X),
    "backoffice:export": Route(X),
    "portal:profile": Route("portal"),
    "portal:opportunity-create": Route("portal"),
    "portal:opportunity-edit": Route("portal"),
    "portal:opportunity-delete": Route("portal", post_only=True),
    "portal:proposal-decide": Route("portal", post_only=True),
    "portal:directory": Route("portal"),
    "portal:organisation": Route("portal"),
    "portal:recommendations": Route("portal"),
    "portal:recommendation-feedback": Route("portal", post_only=True),
    "portal:recommendation-request": Route("portal", post_only=True),
    "portal:meetings": Route("portal"),
    "portal:request-create": Route("portal"),
    "portal:request-accept": Route("portal", post_only=True),
    "portal:request-decline": Route("portal", post_only=True),
    "portal:request-cancel": Route("portal", post_only=True),
    "portal:agenda": Route("portal"),
    "portal:availability": Route("portal"),
    "portal:outcome": Route("portal"),
    "portal:calendar": Route("feed"),
}

# API operations: "read" is any caller of the event (public profiles), "mine" the caller's
# own requests, meetings and recommendations (a delegate's, or all of them with the view
# right), "organiser" needs the view right, "delegate" acts as a participant, "any" is
# every signed-in caller.
OPERATIONS: dict[tuple[str, str], str] = {
    ("get", "/api/v1/events"): "any",
    ("get", "/api/v1/events/{slug}"): "read",
    ("get", "/api/v1/events/{slug}/organisations"): "read",
    ("get", "/api/v1/events/{slug}/organisations/{key}"): "read",
    ("get", "/api/v1/events/{slug}/participants"): "read",
    ("get", "/api/v1/events/{slug}/participants/{key}"): "read",
    ("get", "/api/v1/events/{slug}/opportunities"): "read",
    ("get", "/api/v1/events/{slug}/opportunities/{key}"): "read",
    ("get", "/api/v1/events/{slug}/search/opportunities"): "delegate",
    ("get", "/api/v1/events/{slug}/search/organisations"): "delegate",
    ("get", "/api/v1/events/{slug}/search/people"): "delegate",
    ("get", "/api/v1/events/{slug}/recommendations"): "mine",
    ("get", "/api/v1/events/{slug}/meeting-requests"): "mine",
    ("post", "/api/v1/events/{slug}/meeting-requests"): "delegate",
    ("get", "/api/v1/events/{slug}/meeting-requests/{key}"): "mine",
    ("post", "/api/v1/events/{slug}/meeting-requests/{key}/accept"): "delegate",
    ("post", "/api/v1/events/{slug}/meeting-requests/{key}/decline"): "delegate",
    ("post", "/api/v1/events/{slug}/meeting-requests/{key}/cancel"): "delegate",
    ("get", "/api/v1/events/{slug}/meetings"): "mine",
    ("get", "/api/v1/events/{slug}/schedule"): "organiser",
}


# --- the expected outcome of each audience for each role ------------------------------------


def expected(route: Route, role: str, method: str) -> str:
    if route.audience == "account" and role == "anonymous":
        return "login"  # account pages ask who you are before anything else
    if route.post_only and method == "get":
        return "method"
    if route.get_only and method == "post":
        return "method"
    if route.audience == "nothing":
        return "hidden"
    audience = route.write if (route.write and method == "post") else route.audience
    signed_in = role != "anonymous"
    if audience in ("public", "feed"):
        return "allowed"
    if not signed_in:
        return "login"
    if audience == "account":
        return "allowed"
    if audience == "staff":
        return "allowed" if role == "staff" else "login"  # the admin has its own sign-in
    if audience == "portal":
        return "allowed" if role == "delegate" else "hidden"
    if audience == "orga-list":
        return "allowed"
    if audience == "orga-create":
        # A platform right staff grant (the rival has it), not a team right: organisers
        # without it are told so, people who organise nothing see nothing.
        if role in ("rival", "staff"):
            return "allowed"
        return "forbidden" if role in ("viewer", "desk", "organiser") else "hidden"
    right = audience.removeprefix("orga:")
    if role in ("organiser", "staff"):
        return "allowed"
    if role == "viewer":
        return "allowed" if right == "view" else "forbidden"
    if role == "desk":
        return "allowed" if right == "check_in" else "forbidden"
    return "hidden"  # delegates, another event's delegates and organisers


def expected_api(audience: str, role: str) -> str:
    if role == "anonymous":
        return "unauthorised"
    if audience == "any":
        return "allowed"
    if role == "outsider":
        return "hidden"
    if audience == "read":
        return "allowed"
    if audience == "organiser":
        return "allowed" if role in ("viewer", "organiser") else "forbidden"
    if audience == "mine":
        return "allowed" if role in ("delegate", "viewer", "organiser") else "forbidden"
    return "allowed" if role == "delegate" else "forbidden"  # acting as a delegate


def outcome(response) -> str:
    code = response.status_code
    if code in (301, 302) and "login" in response.get("Location", ""):
        return "login"
    named = {401: "unauthorised", 403: "forbidden", 404: "hidden", 405: "method"}
    if code in named:
        return named[code]
    if code < 400 or code in (400, 409, 410, 422):
        return "allowed"  # the view ran and answered about the request itself
    return f"status {code}"


# --- the world: one event with every kind of object, and a person in each role --------------


@dataclass
class World:
    event: Event
    clients: dict[str, Client]
    tokens: dict[str, str]
    kwargs: dict[str, dict]
    post_data: dict[str, dict]
    queries: dict[str, str]
    api_keys: dict[str, str]
    api_bodies: dict[str, dict]


@pytest.fixture
def world(document) -> World:
    expo = Scenario.imported(document)
    outside = Scenario.create().participant("other")
    event, amy = expo.event, expo.people["p1"]
    expo.account("p1", name="delegate", consents=True)
    outside.account("other", name="outsider", email="outsider@example.com", consents=True)
    for role in ("viewer", "desk", "organiser"):
        expo.user(role)
    outside.user("rival", can_create_events=True)
    expo.user("staff", is_staff=True, is_superuser=True)
    expo.organiser("organiser")
    expo.organiser("viewer", {"view"}, "Analysts")
    expo.organiser("desk", {"check_in"}, "Desk")
    outside.organiser("rival", ALL_RIGHTS)
    users = expo.users | outside.users
    team = expo.teams["Organisers"]
    clients = {"anonymous": Client()}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)

    expo.token("delegate", participant="p1", name="amy")
    outside.token("outsider", participant="other", name="other")
    expo.token("viewer", team="Analysts", name="Analysts")
    expo.token("desk", team="Desk", name="Desk")
    expo.token("organiser", team="Organisers", name="orga")
    tokens = expo.tokens | outside.tokens
    slug = {"slug": event.slug}
    li_na = expo.people["p4"]
    pending = send_request(amy, li_na, message="Shall we meet?")
    to_amy = expo.requests["r3"]
    mine = Opportunity.objects.filter(event=event, event_organisation=amy.event_organisation)
    kwargs = {
        "event-detail": slug,
        "sign-in-with-link": {"token": "not-a-real-token"},
        "email-change-confirm": {"token": "not-a-real-token"},
        "password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
        "api-docs-asset": {"name": "swagger-ui.css"},
        "backoffice:session-edit": {
            **slug,
            "pk": expo.sessions["am"].pk,
        },
        "backoffice:import-detail": {
            **slug,
            "pk": stage_import(
                event, expo.users["organiser"], "a.csv", b"name,email\nA,a@x.org\n"
            ).pk,
        },
        "backoffice:matching-progress": {**slug, "pk": MatchingRun.objects.create(event=event).pk},
        "backoffice:scheduling-progress": {
            **slug,
            "pk": SchedulingRun.objects.create(event=event, status="done").pk,
        },
        "backoffice:scheduling-draft": {
            **slug,
            "pk": ScheduleDraft.objects.create(event=event, basis="-").pk,
        },
        "backoffice:mailing-progress": {
            **slug,
            "pk": BulkMailing.objects.create(event=event, kind="invitations").pk,
        },
        "backoffice:checkin-action": {**slug, "pk": amy.pk},
        "backoffice:team-edit": {**slug, "pk": team.pk},
        "backoffice:export": {**slug, "name": "participants", "fmt": "csv"},
        "portal:opportunity-edit": {**slug, "pk": mine.first().pk},
        "portal:request-accept": {**slug, "pk": to_amy.pk},
        "portal:request-decline": {**slug, "pk": to_amy.pk},
        "portal:request-cancel": {**slug, "pk": pending.pk},
        "portal:outcome": {**slug, "pk": Meeting.objects.get(request=expo.requests["r1"]).pk},
        "portal:calendar": {**slug, "token": calendar_token(amy)},
        "portal:organisation": {**slug, "key": "zhiyuan"},
        "backoffice:profile-detail": {**slug, "key": "zhiyuan"},
        "portal:proposal-decide": {
            **slug,
            "pk": ProposedChange.objects.create(
                organisation=amy.event_organisation.organisation,
                field="region",
                old_value=amy.event_organisation.organisation.region,
                proposed_value="Macau",
                event=event,
                source="import",
            ).pk,
        },
    }
    for name in ("backoffice:session-delete", "backoffice:import-apply", "backoffice:team-delete"):
        base = name.replace("-delete", "-edit").replace("-apply", "-detail")
        kwargs[name] = kwargs[base]
    kwargs["backoffice:import-progress"] = kwargs["backoffice:import-detail"]
    kwargs["backoffice:scheduling-draft-decide"] = kwargs["backoffice:scheduling-draft"]
    kwargs["portal:opportunity-delete"] = kwargs["portal:opportunity-edit"]
    theirs = Opportunity.objects.filter(event=event).exclude(
        event_organisation=amy.event_organisation
    )
    post_data = {
        "portal:recommendation-feedback": {
            "verdict": "not_relevant",
            "target": f"opportunity:{theirs.first().pk}",
        },
        "portal:recommendation-request": {"participant": li_na.pk},
        "portal:request-create": {"to": "p2"},
        "portal:proposal-decide": {"decision": "reject"},
    }
    api_keys = {
        "organisations": "zhiyuan",
        "participants": "p2",
        "opportunities": theirs.first().key,
        "meeting-requests": "r3",
        "cancel": pending.key,
    }
    api_bodies = {"meeting-requests": {"recipient": "p2", "message": "Hello"}}
    queries = {"portal:request-create": "?to=p2"}
    return World(event, clients, tokens, kwargs, post_data, queries, api_keys, api_bodies)


def _url(world: World, name: str) -> str:
    if name in world.kwargs:
        return reverse(name, kwargs=world.kwargs[name])
    try:
        return reverse(name)
    except Exception:
        return reverse(name, kwargs={"slug": world.event.slug})


def _in_savepoint(call):
    """Run one request and roll back whatever it wrote."""
    with transaction.atomic():
        response = call()
        transaction.set_rollback(True)
    return response


# --- coverage: a route or an operation nobody has decided about fails -----------------------


def _route_names(patterns, namespace: str = "") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace == "admin":
                names.add("admin:index")  # the admin is Django's own, staff-only throughout
                continue
            names |= _route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def _schema_operations() -> set[tuple[str, str]]:
    return {
        (method, path)
        for path, operations in api.get_openapi_schema()["paths"].items()
        for method in operations
    }


def test_every_route_has_an_entry():
    operation_names = {
        f"api-v1:{operation['operationId'].split('_api_')[-1]}"
        for path in api.get_openapi_schema()["paths"].values()
        for operation in path.values()
    }
    routes = {name for name in _route_names(get_resolver().url_patterns)}
    unlisted = routes - set(ROUTES) - {n for n in routes if n.startswith("api-v1:")}
    assert not unlisted, f"routes without a permission entry: {sorted(unlisted)}"
    api_routes = {n for n in routes if n.startswith("api-v1:")} - set(ROUTES)
    assert api_routes and len(api_routes) <= len(operation_names)
    assert not set(ROUTES) - routes, "entries for routes that no longer exist"


def test_every_api_operation_has_an_entry():
    operations = _schema_operations()
    assert operations - set(OPERATIONS) == set(), "API operations without a permission entry"
    assert set(OPERATIONS) - operations == set(), "entries for operations that no longer exist"


# --- the matrix itself ----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_route_as_each_role(world, name):
    route = ROUTES[name]
    url = _url(world, name)
    query, data = world.queries.get(name, ""), world.post_data.get(name, {})
    wrong = []
    for role in WEB_ROLES:
        client = world.clients[role]
        for method in ("get", "post"):
            if method == "get":
                call = lambda: client.get(url + query)  # noqa: E731, B023
            else:
                call = lambda: client.post(url, data)  # noqa: E731, B023
            response = _in_savepoint(call)
            want, got = expected(route, role, method), outcome(response)
            if want != got:
                wrong.append(f"{method.upper()} as {role}: expected {want}, got {got}")
    assert not wrong, f"{url}\n" + "\n".join(wrong)


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_api_operation_as_each_role(world, operation):
    method, path = operation
    resource = (
        "cancel" if path.endswith("/cancel") else path.split("/")[5] if path.count("/") > 4 else ""
    )
    url = path.replace("{slug}", world.event.slug).replace(
        "{key}", world.api_keys.get(resource, "")
    )
    body = world.api_bodies.get(resource, {}) if path.endswith("/meeting-requests") else {}
    wrong = []
    for role in API_ROLES:
        headers = {} if role == "anonymous" else {"Authorization": f"Bearer {world.tokens[role]}"}
        client = Client()
        if method == "post":
            call = lambda: client.post(url, body, content_type="application/json", headers=headers)  # noqa: E731, B023
        else:
            call = lambda: client.get(url, headers=headers)  # noqa: E731, B023
        want, got = expected_api(OPERATIONS[operation], role), outcome(_in_savepoint(call))
        if want != got:
            wrong.append(f"{method.upper()} as {role}: expected {want}, got {got}")
    assert not wrong, f"{method.upper()} {url}\n" + "\n".join(wrong)


def test_the_matrix_can_fail(world):
    """A guard on the guard: a right taken away shows up as a difference."""
    Team.objects.filter(event=world.event, name="Desk").update(can_check_in=False, can_view=True)
    response = world.clients["desk"].get(
        reverse("backoffice:checkin", kwargs={"slug": "bj-hk-2026"})
    )
    assert outcome(response) == "forbidden" != expected(ROUTES["backoffice:checkin"], "desk", "get")
