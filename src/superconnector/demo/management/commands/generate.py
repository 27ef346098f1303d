import json
from pathlib import Path

from django.core.management.base import BaseCommand

from superconnector.engine.synthetic import generate_event


class Command(BaseCommand):
    help = "Write a seeded synthetic event (exchange format) of the given size, for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--participants", type=int, default=3000)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--requests-per-participant", type=float, default=6.0)
        parser.add_argument("--sessions", type=int, default=4)
        parser.add_argument("--tables", type=int, default=600)
        parser.add_argument("-o", "--output", required=True, help="file to write")

    def handle(
        self, participants, seed, requests_per_participant, sessions, tables, output, **options
    ):
        document = generate_event(
            participants,
            seed=seed,
            requests_per_participant=requests_per_participant,
            sessions=sessions,
            tables=tables,
        )
        Path(output).write_text(
            json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        self.stderr.write(
            f"Wrote {output}: {len(document['organisations'])} organisations, "
            f"{len(document['participants'])} participants, "
            f"{len(document['opportunities'])} opportunities, "
            f"{len(document['meeting_requests'])} meeting requests."
        )
