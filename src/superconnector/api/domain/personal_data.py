"""The API's personal data, as privacy's erasure and retention see it (privacy/holders.py).

A delegate's token acts as that person: it is revoked when their account is closed, and
deleted when the event's personal data is purged. Team tokens belong to the organisers and
stay.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from superconnector.api.models import ApiToken
from superconnector.privacy.holders import PersonalDataHolder


def delegate_tokens(event) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(event=event, participant__isnull=False)


class ApiTokenHolder(PersonalDataHolder):
    name = "api_tokens"

    def count_for_event(self, event) -> int:
        return delegate_tokens(event).count()

    def delete_for_event(self, event) -> None:
        delegate_tokens(event).delete()

    def close_account(self, user, person) -> None:
        ApiToken.objects.filter(
            Q(user=user) | Q(participant__person=person), revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
