"""Organiser teams: who is in which, with which rights.

The one rule beyond the form's: an event must keep somebody who can manage its teams, or
nobody but platform staff could ever change its rights again.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from superconnector.events.models import Event, Right, Team


class TeamRefused(Exception):
    """The change would leave the event without anyone who can manage its teams."""


def _keeps_a_team_manager(event: Event, *, changed: Team | None, deleted: bool = False) -> bool:
    managers = Team.objects.filter(event=event, can_teams=True).exclude(members=None)
    if changed is not None:
        managers = managers.exclude(pk=changed.pk)
        if not deleted and changed.can_teams and changed.members.exists():
            return True
    return managers.exists()


def members_for(emails: Iterable[str]) -> list:
    """Accounts for these addresses, created (without a password) for people new here:
    they sign in with a one-time link."""
    User = get_user_model()
    accounts = []
    for email in emails:
        user = User.objects.filter(email__iexact=email).first()
        accounts.append(user or User.objects.create_user(email, None))
    return accounts


@transaction.atomic
def save_team(team: Team, member_emails: Iterable[str]) -> Team:
    """Store `team` (new or changed) with exactly these members."""
    creating = team.pk is None
    team.save()
    team.members.set(members_for(member_emails))
    if not creating and not _keeps_a_team_manager(team.event, changed=team):
        transaction.set_rollback(True)
        raise TeamRefused(
            _("The event must keep at least one member with the “%(right)s” right.")
            % {"right": Right.TEAMS.label}
        )
    return team


@transaction.atomic
def delete_team(team: Team) -> None:
    if not _keeps_a_team_manager(team.event, changed=team, deleted=True):
        raise TeamRefused(
            _("The event must keep at least one member with the “%(right)s” right.")
            % {"right": Right.TEAMS.label}
        )
    team.delete()
