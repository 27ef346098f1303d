"""Every concrete model has a factory in tests/factories.py, and each builds a valid row."""

import inspect

import pytest
from factory.django import DjangoModelFactory

from tests import factories

FACTORIES = {
    cls._meta.get_model_class(): cls
    for _, cls in inspect.getmembers(factories, inspect.isclass)
    if issubclass(cls, DjangoModelFactory) and not cls._meta.abstract
}


def test_every_concrete_model_has_a_factory():
    models = {model._meta.label for model in factories.superconnector_models()}
    covered = {model._meta.label for model in FACTORIES}
    assert len(models) >= 30, "the app registry lists fewer models than expected"
    assert models - covered == set(), "models without a factory in tests/factories.py"


def test_one_factory_per_model():
    names = [cls.__name__ for cls in FACTORIES.values()]
    assert sorted(names) == sorted(f"{model.__name__}Factory" for model in FACTORIES)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "factory", sorted(FACTORIES.values(), key=lambda cls: cls.__name__), ids=lambda f: f.__name__
)
def test_the_factory_saves_a_valid_instance(factory):
    made = factory()
    model = factory._meta.get_model_class()

    saved = model.objects.get(pk=made.pk)
    saved.full_clean()
    assert isinstance(saved, model)
    # Whatever it links to belongs to the same event.
    for field in model._meta.concrete_fields:
        related = getattr(saved, field.name) if field.is_relation else None
        if hasattr(saved, "event_id") and hasattr(related, "event_id"):
            assert related.event_id == saved.event_id, field.name
