"""Writing many rows at once: the importer's batched inserts and updates.

A 3,000-person fair has tens of thousands of rows, and on SQLite the write transaction
holds the database's only write lock: these keep it short.
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

BATCH = 500


def save_all(new: list, changed: list, fields: list[str] | None = None) -> None:
    """Insert `new` and update `fields` of `changed` in batches (auto_now fields set here)."""
    now = timezone.now()
    for instance in [*new, *changed]:
        for name in ("created_at", "updated_at"):
            if hasattr(instance, name) and (
                name == "updated_at" or getattr(instance, name) is None
            ):
                setattr(instance, name, now)
    if new:
        type(new[0]).objects.bulk_create(new, batch_size=BATCH)
    if changed and fields:
        type(changed[0]).objects.bulk_update(changed, fields, batch_size=BATCH)


class NewRows:
    """Many new rows of one model, inserted in one go (executemany on SQLite, COPY on
    PostgreSQL).

    Django's bulk_create spends most of its time turning every value into its database
    form, statement by statement (bench/imports.py: about 80 % of the write transaction for
    a 100,000-row list). Here the values are converted once, in `prepare`, which can run
    before the transaction begins; `insert` only draws the ids and sends the rows. Ids come
    from the table's own sequence: on PostgreSQL nextval (never reused, safe beside other
    writers); on SQLite, which has one writer at a time, the next free numbers under the
    write lock this transaction holds (AUTOINCREMENT then carries on after them).
    Foreign keys are read when inserting, so they may point at rows inserted just before.
    """

    def __init__(self, model, objects: list) -> None:
        self.model = model
        self.objects = objects
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.rows: list[list] | None = None

    def prepare(self) -> None:
        if self.rows is not None:
            return
        ops = connection
        self.rows = [
            [
                None
                if field.is_relation
                else field.get_db_prep_save(field.pre_save(obj, True), ops)
                for field in self.fields
            ]
            for obj in self.objects
        ]

    def insert(self) -> None:
        if not self.objects:
            return
        self.prepare()
        assert self.rows is not None  # prepare() converted them
        ids = _draw_ids(self.model, len(self.objects))
        relations = [(i, f) for i, f in enumerate(self.fields) if f.is_relation]
        for obj, row, pk in zip(self.objects, self.rows, ids, strict=True):
            for index, relation in relations:
                row[index] = getattr(obj, relation.attname)
            obj.pk = pk
            obj._state.adding, obj._state.db = False, connection.alias
        quote = connection.ops.quote_name
        columns = ", ".join(quote(c) for c in ["id", *(f.column for f in self.fields)])
        marks = "(" + ", ".join(["%s"] * (len(self.fields) + 1)) + ")"
        head = f"INSERT INTO {quote(self.model._meta.db_table)} ({columns}) VALUES "
        rows = [(pk, *row) for pk, row in zip(ids, self.rows, strict=True)]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY: one stream, not a round trip (or a client-side formatted statement)
                # per row. Errors are Django's, as from any query.
                table = quote(self.model._meta.db_table)
                sql = f"COPY {table} ({columns}) FROM STDIN"
                with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
                    for values in rows:
                        copy.write_row(values)
            else:
                cursor.executemany(head + marks, rows)  # SQLite: no round trips to save


def _draw_ids(model, count: int) -> list[int]:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: only inside the write transaction, where nobody else inserts.
        assert connection.in_atomic_block
        cursor.execute(f"SELECT max(id) FROM {connection.ops.quote_name(table)}")
        top = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        first = max(top, row[0] if row else 0) + 1
    return list(range(first, first + count))


def set_fields(instance, **values) -> bool:
    """Assign values; report whether anything differed (so unchanged rows are not saved)."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name, None) != value:
            setattr(instance, name, value)
            changed = True
    return changed
