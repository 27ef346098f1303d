from typing import Any

from django.core.management.base import BaseCommand, CommandError

from superconnector.api.domain.tokens import (
    PREFIX_LENGTH,
    TokenRefused,
    hash_token,
    issue_token,
    revoke_token,
)
from superconnector.api.models import ApiToken
from superconnector.directory.models import Participant
from superconnector.events.models import Event, Team


class Command(BaseCommand):
    help = (
        "API tokens: create one for an organiser team (--team NAME) or a delegate "
        "(--participant KEY) of an event, list an event's tokens, or revoke one by its prefix."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="create a token and print it once")
        create.add_argument("--event", required=True, help="event slug")
        holder = create.add_mutually_exclusive_group(required=True)
        holder.add_argument("--team", help="the name of one of the event's organiser teams")
        holder.add_argument("--participant", help="a delegate's participant key")
        create.add_argument("--name", default="", help="what the token is for")
        listing = actions.add_parser("list", help="list an event's tokens (never the tokens)")
        listing.add_argument("--event", required=True, help="event slug")
        revoke = actions.add_parser("revoke", help="revoke a token")
        revoke.add_argument("prefix", help="the token's first characters, as listed, or the token")

    def handle(self, action: str, **options):
        getattr(self, f"handle_{action}")(**options)

    def handle_create(self, event, team=None, participant=None, name="", **options):
        found = _event(event)
        holder: dict[str, Any] = {}  # team= or participant=
        if team:
            row = Team.objects.filter(event=found, name=team).first()
            if row is None:
                names = ", ".join(found.teams.values_list("name", flat=True)) or "none"
                raise CommandError(
                    f'no team "{team}" in "{event}" (its teams: {names})', returncode=2
                )
            holder["team"] = row
        else:
            holder_row = Participant.objects.filter(event=found, key=participant).first()
            if holder_row is None:
                raise CommandError(f'no participant "{participant}" in "{event}"', returncode=2)
            holder["participant"] = holder_row
        default_name = f"{team or participant} @ {event}"
        try:
            token, raw = issue_token(name or default_name, event=found, **holder)
        except TokenRefused as refused:
            raise CommandError(str(refused), returncode=2) from None
        self.stderr.write(f"Created token {token.prefix}… ({token.name}). It is shown only once:")
        self.stdout.write(raw)

    def handle_list(self, event, **options):
        for token in ApiToken.objects.filter(event=_event(event)).select_related(
            "team", "participant"
        ):
            holder = (
                f"team {token.team.name}"
                if token.team
                else f"participant {token.participant.key if token.participant else '?'}"
            )
            state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            self.stdout.write(
                f"{token.prefix}…  {state:<18} used {used:<16} {holder}  {token.name}"
            )

    def handle_revoke(self, prefix, **options):
        # The listed prefix, or any longer part of the token (even all of it), names it.
        live = ApiToken.objects.filter(revoked_at__isnull=True)
        matches = list(live.filter(token_hash=hash_token(prefix))) or list(
            live.filter(prefix__startswith=prefix[:PREFIX_LENGTH])
        )
        if len(matches) != 1:
            raise CommandError(
                f'"{prefix}" matches {len(matches)} active tokens; give more characters',
                returncode=2,
            )
        revoke_token(matches[0])
        self.stderr.write(f"Revoked {matches[0].prefix}… ({matches[0].name}).")


def _event(slug: str) -> Event:
    event = Event.objects.filter(slug=slug).first()
    if event is None:
        raise CommandError(f'no event with slug "{slug}"', returncode=2)
    return event
