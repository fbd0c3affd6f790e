"""Many rows in one statement per batch, for roll-ups, the demo and benchmarks,
and the view event itself.

Django's bulk_create (and Model.save) builds and adapts every value of every
row in Python, which costs more than the database's own work for the small
rows written here. The INSERT is written once per model and columns and sent
with executemany; values must already be what the column takes (dates and
datetimes are adapted by the backend's own adapters).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import islice

from django.db import connection, models


@lru_cache(maxsize=32)
def _statement(
    model: type[models.Model], fields: tuple[str, ...], vendor: str
) -> tuple[str, tuple[tuple[int, str], ...]]:
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    # Names come from the model, quoted by the backend; values are parameters.
    sql = (
        f"INSERT INTO {quote(meta.db_table)} "  # noqa: S608
        f"({', '.join(quote(field.column) for field in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    adapted = []
    for index, field in enumerate(columns):
        if isinstance(field, models.DateTimeField):
            adapted.append((index, "adapt_datetimefield_value"))
        elif isinstance(field, models.DateField):
            adapted.append((index, "adapt_datefield_value"))
    return sql, tuple(adapted)


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence],
    *,
    batch_size: int = 2000,
) -> int:
    """Insert rows (tuples in the order of `fields`); return how many."""
    sql, adapted = _statement(model, tuple(fields), connection.vendor)
    adapters = [(index, getattr(connection.ops, name)) for index, name in adapted]
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
