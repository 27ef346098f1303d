"""Saves that can take someone out of the listings, wherever they are made (the admin, a
shell, a domain function), close what that person had open: see meetings/domain/unlisting.py.

Each handler looks at the saved row first, so that the ordinary save of a listed person,
account or organisation costs no query.
"""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from superconnector.core.models import User
from superconnector.directory.models import EventOrganisation, Participant, Person, ReviewStatus
from superconnector.meetings.domain.unlisting import withdraw_unlisted


@receiver(post_save, sender=User, dispatch_uid="unlisting.user")
def account_saved(sender, instance: User, created: bool, raw: bool = False, **kwargs) -> None:
    if raw or created or instance.is_active:
        return
    withdraw_unlisted(
        Participant.objects.filter(person__user=instance).values_list("pk", flat=True)
    )


@receiver(post_save, sender=Person, dispatch_uid="unlisting.person")
def person_saved(sender, instance: Person, created: bool, raw: bool = False, **kwargs) -> None:
    if raw or created or not (instance.profile_hidden or instance.erased_at):
        return
    withdraw_unlisted(Participant.objects.filter(person=instance).values_list("pk", flat=True))


@receiver(post_save, sender=EventOrganisation, dispatch_uid="unlisting.organisation")
def organisation_saved(
    sender, instance: EventOrganisation, created: bool, raw: bool = False, **kwargs
) -> None:
    if raw or created or instance.review_status == ReviewStatus.PUBLISHED:
        return
    withdraw_unlisted(
        Participant.objects.filter(event_organisation=instance).values_list("pk", flat=True)
    )
