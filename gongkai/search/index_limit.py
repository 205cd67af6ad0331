"""How much of an item's text fits one search entry (no Django here).

PostgreSQL refuses a tsvector whose lexemes and positions take more than 1,048,575 bytes
(MAXSTRPOS in src/include/tsearch/ts_type.h; "string is too long for tsvector"), and the stored
`vector` column of an entry is to_tsvector('simple', tokens). Bigrams of text with many distinct
characters are nearly all distinct lexemes, so about 110,000 distinct characters already pass it.
An entry's text is therefore cut where its tokens would pass a budget below that limit, on every
database alike (the same item finds the same words on SQLite and PostgreSQL), and the entry is
marked truncated.

The size is an upper bound of PostgreSQL's own count (tsvector.c, make_tsvector): per distinct
lexeme its bytes (rounded up to even when it has positions), a 2-byte position count and 2 bytes
per position, at most 256 positions (MAXNUMPOS).
"""

from __future__ import annotations

from collections.abc import Callable

TSVECTOR_MAX_BYTES = 1_048_575
# The margin covers the parser seeing a token differently from a plain split on spaces.
INDEX_BUDGET_BYTES = 960_000
MAX_POSITIONS = 256
CHUNK_CHARS = 4096


def _lexeme_bytes(token: str) -> int:
    length = len(token.encode("utf-8"))
    return length + (length & 1) + 2


def tsvector_bytes(index_tokens: list[str]) -> int:
    """Upper bound of the bytes PostgreSQL's tsvector of these tokens counts against its limit."""
    counts: dict[str, int] = {}
    for token in index_tokens:
        counts[token] = counts.get(token, 0) + 1
    return sum(_lexeme_bytes(token) + 2 * min(count, MAX_POSITIONS) for token, count in counts.items())


def cap_text(
    text: str, tokenize: Callable[[str], list[str]], budget: int = INDEX_BUDGET_BYTES
) -> tuple[str, bool]:
    """The longest prefix of `text` (to CHUNK_CHARS) whose tokens fit `budget`, and whether it was cut."""
    if tsvector_bytes(tokenize(text)) <= budget:
        return text, False
    counts: dict[str, int] = {}
    size = 0
    cut = 0
    for start in range(0, len(text), CHUNK_CHARS):
        for token in tokenize(text[start : start + CHUNK_CHARS]):
            count = counts.get(token, 0)
            size += (_lexeme_bytes(token) if count == 0 else 0) + (2 if count < MAX_POSITIONS else 0)
            counts[token] = count + 1
        if size > budget:
            break
        cut = start + CHUNK_CHARS
    # Tokens across a chunk boundary were not counted above: check the prefix as a whole.
    while cut > 0 and tsvector_bytes(tokenize(text[:cut])) > budget:
        cut -= CHUNK_CHARS
    return text[: max(cut, 0)], True
