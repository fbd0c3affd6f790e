"""Verification codes: random, unguessable, and easy to read out or type.

A code is 20 characters of Crockford's base32 (digits and capitals without
I, L, O, U), drawn from `secrets`: 100 random bits, so guessing one is
hopeless, and it says nothing about the person, the training or the ledger.
It is printed in groups of four; typed back, case, hyphens and spaces do not
matter and the letters people confuse with digits (O, I, L) are read as 0, 1
and 1.
"""

from __future__ import annotations

import re
import secrets
import unicodedata

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 20
GROUP = 4
_CODE = re.compile(rf"[{ALPHABET}]{{{LENGTH}}}")
_MISREAD = str.maketrans({"O": "0", "I": "1", "L": "1"})
# Anything longer than a grouped code with some slack is not a code.
_LONGEST_INPUT = 64


def code_new() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def code_normalise(text: str) -> str | None:
    """The code in `text` as stored, or None when it cannot be one."""
    if not isinstance(text, str) or len(text) > _LONGEST_INPUT:
        return None
    text = unicodedata.normalize("NFKC", text)
    code = re.sub(r"[\s\-‐ー]", "", text).upper().translate(_MISREAD)
    return code if _CODE.fullmatch(code) else None


def code_grouped(code: str) -> str:
    """The code as printed: XXXX-XXXX-XXXX-XXXX-XXXX."""
    return "-".join(code[start : start + GROUP] for start in range(0, len(code), GROUP))
