"""Many rows in one statement per batch, for roll-ups, the demo and benchmarks.

Django's bulk_create builds and adapts every value of every row in Python,
which costs more than the database's own work for the tens of thousands of
small rows a year of roll-ups holds. Here the INSERT is written once and
sent with executemany; values must already be what the column takes (dates
and datetimes are adapted by the backend's own adapters).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice

from django.db import connection, models


def _adapter(field: models.Field):
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    return None


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence],
    *,
    batch_size: int = 2000,
) -> int:
    """Insert rows (tuples in the order of `fields`); return how many."""
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    # Names come from the model, quoted by the backend; values are parameters.
    sql = (
        f"INSERT INTO {quote(meta.db_table)} "  # noqa: S608
        f"({', '.join(quote(field.column) for field in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    adapters = [(index, _adapter(field)) for index, field in enumerate(columns)]
    adapters = [(index, adapt) for index, adapt in adapters if adapt is not None]
    rows = iter(rows)
    inserted = 0
    with connection.cursor() as cursor:
        while batch := list(islice(rows, batch_size)):
            if adapters:
                batch = [list(row) for row in batch]
                for row in batch:
                    for index, adapt in adapters:
                        row[index] = adapt(row[index])
            cursor.executemany(sql, batch)
            inserted += len(batch)
    return inserted
