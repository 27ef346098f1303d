import json

from django.core.management.base import BaseCommand, CommandError, no_translations

from superconnector.events.models import Event
from superconnector.matchmaking.domain.matching import (
    ensure_recommendations,
    recommendations_document,
)
from superconnector.meetings.domain.people import people_document


class Command(BaseCommand):
    help = (
        "Recommendations for an event: offers for each need, needs for each offer, partners for "
        "each organisation and people to meet for each delegate, with reasons. Computes only what is missing (cached embeddings, "
        "stored results reused while the event is unchanged)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--top", type=int, default=10, help="list length (default 10)")
        parser.add_argument("--json", action="store_true", help="print the exchange-format JSON")
        parser.add_argument("--recompute", action="store_true", help="ignore stored results")

    # The exchange format's reasons are English text (docs: exchange-format.md), whatever
    # language the caller happens to have active.
    @no_translations
    def handle(self, slug: str, top: int, json: bool, recompute: bool, **options):
        event = Event.objects.filter(slug=slug).first()
        if event is None:
            raise CommandError(f'no event with slug "{slug}"', returncode=2)
        if top < 1:
            raise CommandError("--top must be at least 1", returncode=2)
        run = ensure_recommendations(event, top_k=top, force=recompute)
        document = recommendations_document(event, top_k=top)
        document["participants"] = people_document(event, top_k=top)
        if json:
            self.stdout.write(_dumps(document))
            return
        if run is None:
            self.stdout.write("Stored recommendations are up to date.")
        else:
            stats = run.stats
            self.stdout.write(
                f"Matched {stats['needs']} needs and {stats['offers']} offers in {stats['seconds']} s "
                f"({stats['encoded']} texts encoded, the rest from the cache); "
                f"{stats['suggestions']} people suggested in the delegates' top five."
            )
        filled = sum(1 for items in document["needs"].values() if items)
        self.stdout.write(f"{filled} of {len(document['needs'])} needs have recommendations.")


def _dumps(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)
