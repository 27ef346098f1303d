"""Fuzz every API operation, as every kind of caller, against the API's own OpenAPI schema.

Schemathesis generates requests from `/api/v1/openapi.json` (valid ones and deliberately
invalid ones) and checks each answer: never a server error, and always a status, content
type, headers and body that the schema declares for the operation. On top of that, per
role: an anonymous caller never gets a 2xx, and a delegate of another event never gets a
2xx on event A's paths, nor sees event A in its list of events.

Bounded for CI: MAX_EXAMPLES generated cases per operation and role, derandomized (the same
cases on every run), plus, for the organiser and the delegate, schemathesis' deterministic
coverage cases (boundaries, missing and wrong-typed parameters, unexpected methods).
"""

from __future__ import annotations

import pytest
import schemathesis
from django.test import override_settings
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.meta import TestPhase
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.fuzz.conftest import (
    EVENT,
    KEYS,
    OTHER_EVENT,
    OTHER_KEYS,
    PARTICIPANTS,
    DjangoTestApp,
)

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

MAX_EXAMPLES = 15
# Roles that also get the deterministic coverage cases; the other roles are mostly refused
# (401, 404) or see what these two see, so random cases are enough for them.
DEEP_ROLES = ["organiser", "delegate"]
ROLES = ["view_team", "other_delegate", "session_delegate"]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


# --- aiming the fuzzer at the fixture ----------------------------------------------------


def _resource(path: str) -> str | None:
    """The kind of thing a keyed path names: participants for `.../participants/{key}`."""
    parts = path.split("/")
    if "{slug}" not in parts or "{key}" not in parts:
        return None
    return parts[parts.index("{slug}") + 1]


def _mostly(real: list[str], generated: str) -> st.SearchStrategy[str]:
    """The fixture's values three times in four (so that requests reach the handlers and
    their data), otherwise what the fuzzer made up."""
    return st.sampled_from([*real, *real, *real, generated])


def _valid_key(value, minimum: int = 1) -> bool:
    """Whether a generated key is valid as the schema declares keys (so that replacing it
    by a real one keeps a deliberately invalid case invalid)."""
    return isinstance(value, str) and minimum <= len(value) <= 64


def _register_hooks(schema) -> None:
    @schema.hook
    def flatmap_path_parameters(context, path_parameters):
        # A negative case may hold a non-string here on purpose: it is left alone.
        if not isinstance(path_parameters, dict):
            return st.just(path_parameters)
        strategies = {}
        slug = path_parameters.get("slug")
        if isinstance(slug, str):
            strategies["slug"] = st.sampled_from([EVENT] * 6 + [OTHER_EVENT, slug])
        resource = _resource(context.operation.path)
        key = path_parameters.get("key")
        if resource and isinstance(key, str):
            strategies["key"] = _mostly(KEYS[resource] + OTHER_KEYS[resource][:1], key)
        if not strategies:
            return st.just(path_parameters)
        return st.fixed_dictionaries(strategies).map(lambda drawn: {**path_parameters, **drawn})

    @schema.hook
    def flatmap_query(context, query):
        if not isinstance(query, dict):
            return st.just(query)
        strategies = {}
        for name, real in (("participant", PARTICIPANTS), ("organisation", KEYS["organisations"])):
            if _valid_key(query.get(name), minimum=0):
                strategies[name] = _mostly(real, query[name])
        if not strategies:
            return st.just(query)
        return st.fixed_dictionaries(strategies).map(lambda drawn: {**query, **drawn})

    @schema.hook
    def flatmap_body(context, body):
        if isinstance(body, dict) and _valid_key(body.get("recipient")):
            return _mostly([*PARTICIPANTS, "eve"], body["recipient"]).map(
                lambda key: {**body, "recipient": key}
            )
        return st.just(body)


def _aim_coverage_case(case) -> None:
    """Coverage cases are built from the schema alone, without the hooks above: unless a
    case is about the path itself, point it at the fixture's event and first key, so that
    its boundary values reach the handler instead of a 404."""
    meta = case.meta
    if meta is None or meta.phase.name != TestPhase.COVERAGE or not case.path_parameters:
        return
    path = meta.components.get(ParameterLocation.PATH)
    if meta.phase.data.parameter_location == ParameterLocation.PATH or (
        path is not None and path.mode.is_negative
    ):
        return
    case.path_parameters["slug"] = EVENT
    resource = _resource(case.operation.path)
    if resource:
        case.path_parameters["key"] = KEYS[resource][0]


# --- the schema, as served -----------------------------------------------------------------


def _load_raw_schema() -> dict:
    """The schema the API serves, fetched through the app itself (at collection time, so
    before pytest-django lets the test client's host in)."""
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", DjangoTestApp()).raw_schema


RAW_SCHEMA = _load_raw_schema()


def _schema(*, coverage: bool, security_parameters: bool):
    schema = schemathesis.openapi.from_dict(RAW_SCHEMA)
    schema.config.generation.update(
        max_examples=MAX_EXAMPLES, with_security_parameters=security_parameters
    )
    schema.config.phases.coverage.enabled = coverage
    # Two methods the API does not serve are enough to see that they are refused cleanly.
    schema.config.phases.coverage.unexpected_methods = {"delete", "patch"}
    _register_hooks(schema)
    return schema


# Callers with credentials send their own; the anonymous caller sends made-up ones.
deep_schema = _schema(coverage=True, security_parameters=False)
schema = _schema(coverage=False, security_parameters=False)
anonymous_schema = _schema(coverage=False, security_parameters=True)


# --- checks and the test -------------------------------------------------------------------


def _role_checks(role: str) -> list:
    def strangers_get_nothing(ctx, response, case):
        if not 200 <= response.status_code < 300:
            return None
        if role == "anonymous":
            raise AssertionError(f"An anonymous caller got {response.status_code}")
        if role == "other_delegate":
            if (case.path_parameters or {}).get("slug") == EVENT:
                raise AssertionError(
                    f"A delegate of another event got {response.status_code} on {EVENT}"
                )
            if case.operation.path == "/api/v1/events":
                slugs = [item["slug"] for item in response.json()["items"]]
                assert EVENT not in slugs, f"A delegate of another event sees {slugs}"
        return None

    return [strangers_get_nothing]


def exercise(case, role: str, fuzz_world, django_app) -> None:
    _aim_coverage_case(case)
    caller = fuzz_world.callers[role]
    response = case.call(app=django_app, headers=caller.headers, cookies=caller.cookies)
    case.validate_response(
        response, checks=CHECKS, additional_checks=_role_checks(role), headers=caller.headers
    )


SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        # The event is built once per operation and role, and shared by its examples.
        HealthCheck.function_scoped_fixture,
    ],
)


@pytest.mark.parametrize("role", DEEP_ROLES)
@deep_schema.parametrize()
@SETTINGS
def test_api_in_depth(case, role, fuzz_world, django_app):
    exercise(case, role, fuzz_world, django_app)


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@SETTINGS
def test_api(case, role, fuzz_world, django_app):
    exercise(case, role, fuzz_world, django_app)


@anonymous_schema.parametrize()
@SETTINGS
def test_api_anonymously(case, fuzz_world, django_app):
    exercise(case, "anonymous", fuzz_world, django_app)
