"""A bounded integer path converter for database ids, registered as "id".

Django's "int" converter accepts any run of digits, and a value past the
database's 64-bit range raises OverflowError (SQLite) or a data error
(PostgreSQL) in lookups through a foreign key: a 500 for a typo. "id"
matches 1 to 19 ASCII digits and refuses anything past 2**63 - 1, so such a
URL simply does not resolve (404).
"""

from __future__ import annotations

MAX_ID = 2**63 - 1


class DatabaseIdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))
