"""Importing an exchange document: all or nothing, upserting by key, idempotent.

By stage: importing.py (the whole path: plan in a read snapshot, then write in one short
transaction, planning again there only if something changed), planning.py (read only:
checks and decisions), applying.py (the writes), bulk.py (batched inserts and updates),
report.py (what was done).
"""

from superconnector.exchange.importer.importing import import_document, import_file_content
from superconnector.exchange.importer.planning import ImportPlan
from superconnector.exchange.importer.report import ImportReport, Tally

__all__ = ["ImportPlan", "ImportReport", "Tally", "import_document", "import_file_content"]
