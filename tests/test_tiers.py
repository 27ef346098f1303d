"""Every test gets exactly one tier from what it uses (tests/conftest.py)."""

import pytest

from tests.conftest import TIERS


def tiers(request) -> list[str]:
    return [tier for tier in TIERS if request.node.get_closest_marker(tier)]


def test_a_test_without_the_database_is_a_unit_test(request):
    assert tiers(request) == ["unit"]


def test_a_test_on_the_database_is_an_integration_test(request, db):
    assert tiers(request) == ["integration"]


@pytest.mark.django_db
def test_the_database_mark_makes_an_integration_test(request):
    assert tiers(request) == ["integration"]


def test_a_test_with_the_test_client_is_an_integration_test(request, client):
    assert tiers(request) == ["integration"]


@pytest.mark.slow
def test_a_slow_test_is_not_a_unit_test(request):
    assert tiers(request) == ["integration"]


@pytest.mark.integration
def test_a_tier_of_its_own_is_kept(request):
    assert tiers(request) == ["integration"]
