"""The pure text layer of search, shared by every backend (no Django here).

Items are indexed as overlapping character bigrams of their normalised Han text and whole
words of other letters and digits; a Han run that touches a word (across punctuation or
spaces) also gives its edge character on its own, so 3号 and 第1条 are phrases of tokens too.
A query is split at whitespace into phrases, each a sequence (人社发〔2025〕3号, 2019年度): its
tokens must be adjacent in the index (a phrase where the backend supports it), and
`contains_all` then confirms the whole sequence on the normalised text (see `_pattern`) and
`highlight` marks it in the original text.

Normalisation is strictly character by character (NFKC, radicals and strokes to their unified
ideograph, Traditional -> Simplified, lower case), so that the normalised form of a substring
is always a substring of the normalised text. OpenCC's own `t2s` converter is phrase-aware
and therefore context-dependent (it turns 說乾 into 说干 but 說乾隆 into 说乾隆), which would
lose matches at phrase boundaries; we apply OpenCC's `t2s` dictionaries to each character on
its own instead.

第十二条 and 第12条 do not match each other: numerals are not converted (十二 is also part of
names such as 十二五规划, and an office writes an article number one way); each finds its own form.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from gongkai.search.ideographs import EQUIVALENT_IDEOGRAPH

if TYPE_CHECKING:
    import opencc

MAX_QUERY_LENGTH = 50
MSG_EMPTY = "请输入要搜索的内容"
MSG_TOO_SHORT = "请至少输入两个汉字或一个完整的词"
MSG_TOO_LONG = f"搜索内容过长，请不超过{MAX_QUERY_LENGTH}个字"

# Han ideographs: Extension A, the URO, the compatibility block, Extensions B-H; and 〇.
_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x323AF))
_HAN = "\u3007" + "".join(f"{chr(a)}-{chr(b)}" for a, b in _HAN_RANGES)
# A CJK run, or a run of other letters and digits (a Latin word, a number, a code).
_RUN_RE = re.compile(f"([{_HAN}]+)|([^\\W_{_HAN}]+)")
_WORD_CHAR = f"[^\\W_{_HAN}]"  # a letter or digit that is not Han: part of a word
_SEPARATOR = f"(?:_|[^\\w{_HAN}])"  # neither: punctuation, spaces, symbols
# Within a phrase, runs may be separated in the text by at most this many separator characters
# (人社发〔2025〕3号 ≡ 人社发[2025]3号, 2019年度 ≡ 2019 年度 as PDF text often spaces it).
MAX_GAP = 5
_SPACE_RE = re.compile(r"\s+")
# Hangul medial and final jamo compose with the syllable before them (not in decomposition data).
_JAMO_TAILS = ((0x1160, 0x11FF), (0xD7B0, 0xD7FF))
_VARIATION_SELECTORS = ((0xFE00, 0xFE0F), (0xE0100, 0xE01EF))


def _char_class(codepoints: list[int]) -> re.Pattern[str]:
    """A character class. Astral ranges make re test range by range, so they sit behind a quick
    test and the BMP part keeps its bitmap: ~20 ms per million characters instead of ~250."""
    ranges: list[list[int]] = []
    for cp in sorted(codepoints):
        if ranges and cp == ranges[-1][1] + 1 != 0x10000:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    bmp = "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges if b <= 0xFFFF)
    astral = "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges if b > 0xFFFF)
    astral = f"(?=[\\U00010000-\\U0010ffff])[{astral}]" if astral else ""
    return re.compile("|".join(part for part in (bmp and f"[{bmp}]", astral) if part) or "(?!)")


@dataclass(frozen=True)
class _Tables:
    strip: dict[int, str | None]  # before NFKC: control and format characters, variation selectors
    after: dict[int, str | None]  # after NFKC: lower case, Traditional -> Simplified
    per_char: dict[int, str | None]  # the whole pipeline for one character on its own
    irregular: re.Pattern[str]  # characters whose per-char result is not exactly one character
    changing: re.Pattern[str]  # characters the per-char pipeline changes at all
    special: re.Pattern[str]  # irregular or unsafe: the normalised text is not aligned 1:1
    special_bmp: re.Pattern[str]  # the same, below U+10000 only (one plain class: a fast scan)
    unsafe: re.Pattern[str]  # characters NFKC may combine with the character before them
    joins: re.Pattern[str]  # unsafe or stripped: never starts a cluster


@cache
def _tables() -> _Tables:
    """Built once, on first use (about 0.2 s): OpenCC's dictionaries become a translate table."""
    import opencc

    codepoints = [cp for a, b in _HAN_RANGES for cp in range(a, b + 1)]
    converted = opencc.OpenCC("t2s").convert("\n".join(map(chr, codepoints))).split("\n")
    t2s = {chr(cp): out for cp, out in zip(codepoints, converted, strict=True) if out != chr(cp)}
    for source, target in list(t2s.items()):  # a few entries chain (薴 -> 苧 -> 苎): follow them
        for _ in range(4):
            target = t2s.get(target, target)
        t2s[source] = target
    # Radicals and strokes NFKC leaves alone (⺠ ⻔ ⻓ ⻢ ⻅ from PDFs) as their ideograph, then T -> S.
    radicals = {chr(cp): chr(target) for cp, target in EQUIVALENT_IDEOGRAPH.items()}
    t2s.update({source: t2s.get(target, target) for source, target in radicals.items()})

    strip: dict[int, str | None] = {cp: None for a, b in _VARIATION_SELECTORS for cp in range(a, b + 1)}
    after: dict[int, str | None] = {}
    unsafe: set[int] = {cp for a, b in _JAMO_TAILS for cp in range(a, b + 1)}
    changed: list[int] = []  # characters NFKC alters on their own
    for cp in [*range(0x323B0), *range(0xE0000, 0xE1000)]:  # everything assigned
        char = chr(cp)
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs"):
            strip[cp] = " " if char.isspace() else None
        elif char in t2s:
            after[cp] = t2s[char]
        elif char.lower() != char:
            after[cp] = char.lower()
        if category[0] == "M" or unicodedata.combining(char):
            unsafe.add(cp)
        if category != "Cs" and not unicodedata.is_normalized("NFKC", char):
            changed.append(cp)
            if unicodedata.combining(unicodedata.normalize("NFKD", char)[0]):
                unsafe.add(cp)
        parts = unicodedata.decomposition(char).split()
        if len(parts) == 2 and not parts[0].startswith("<"):  # second half of a canonical pair
            unsafe.add(int(parts[1], 16))

    per_char = {**after, **strip}
    for cp in changed:
        per_char[cp] = unicodedata.normalize("NFKC", chr(cp).translate(strip)).translate(after) or None
    irregular = [cp for cp, result in per_char.items() if result is None or len(result) != 1]
    joins = unsafe | {cp for cp, result in strip.items() if result is None}
    return _Tables(
        strip,
        after,
        per_char,
        _char_class(irregular),
        _char_class([cp for cp, result in per_char.items() if result != chr(cp)]),
        _char_class(sorted(set(irregular) | unsafe)),
        _char_class(sorted(cp for cp in set(irregular) | unsafe if cp <= 0xFFFF)),
        _char_class(sorted(unsafe)),
        _char_class(sorted(joins)),
    )


def normalise(text: str) -> str:
    """NFKC, radicals and strokes to their unified ideograph (ideographs.py), Traditional ->
    Simplified, lower case; control and format characters removed (control whitespace becomes a
    space). Everything else is kept. The index key and the query, never the stored text."""
    tables = _tables()
    if not tables.unsafe.search(text):  # nothing NFKC could combine: one character at a time
        # Most text (Simplified, no full-width forms) has nothing to change: one scan, no copy.
        return text.translate(tables.per_char) if tables.changing.search(text) else text
    return unicodedata.normalize("NFKC", text.translate(tables.strip)).translate(tables.after)


def _run_tokens(runs: list[tuple[str, str]]) -> list[str]:
    """The tokens of a sequence of (Han run, word) pairs, one of each pair empty (_RUN_RE.findall).

    A Han run gives its overlapping bigrams (a lone character: itself); next to a word it also gives
    its edge character on that side, so that a Han character touching a number in a query (3号, 第1条,
    2019年) is a token right beside the number's, however the text goes on (3号文: 3 号 号文)."""
    result: list[str] = []
    last = len(runs) - 1
    for i, (cjk, word) in enumerate(runs):
        if word:
            if len(word) <= MAX_QUERY_LENGTH:  # longer words no query can hold: nothing could find them
                result.append(word)
        elif len(cjk) == 1:
            result.append(cjk)
        else:
            if i > 0 and runs[i - 1][1]:
                result.append(cjk[0])
            result.extend([cjk[j : j + 2] for j in range(len(cjk) - 1)])
            if i < last and runs[i + 1][1]:
                result.append(cjk[-1])
    return result


def tokens(text: str) -> list[str]:
    """Index tokens of a text, in order (see _run_tokens): Han bigrams, edge characters beside words,
    whole words of other letters and digits. Punctuation, symbols and spaces separate runs."""
    return _run_tokens(_RUN_RE.findall(normalise(text)))


def index_text(text: str) -> str:
    """What the FTS5 table or the tsvector stores."""
    return " ".join(tokens(text))


@dataclass(frozen=True)
class Query:
    terms: tuple[str, ...]  # every index token of the searchable phrases (each must be present)
    # The normalised whitespace-separated parts of the query, from their first letter, digit or Han
    # character to their last: each a sequence to find as a whole (see _pattern).
    phrases: tuple[str, ...]
    error: str | None = None  # a message for the user when the query cannot be searched
    # Per phrase, other phrases that satisfy it as well (synonyms, see expand.with_synonyms).
    alternatives: tuple[tuple[str, ...], ...] = ()
    # The words a phrase without matches was split into (expand.split_query): an item needs any
    # one of them, and ranks higher the more it has.
    any_phrase: bool = False


def phrase_groups(query: Query) -> list[tuple[str, ...]]:
    """Per phrase of the query, the phrase and its alternatives: any one of them satisfies it."""
    extra = query.alternatives or ((),) * len(query.phrases)
    return [(phrase, *others) for phrase, others in zip(query.phrases, extra, strict=True)]


def all_phrases(query: Query) -> tuple[str, ...]:
    return _dedup([phrase for group in phrase_groups(query) for phrase in group])


def _simple(query: Query) -> bool:
    """A plain AND of phrases (no synonyms, not split): the original, fastest paths."""
    return not query.any_phrase and not any(query.alternatives)


def _dedup(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


@functools.lru_cache(maxsize=4096)
def phrase_tokens(phrase: str) -> tuple[str, ...]:
    """The tokens a text holding the (normalised) phrase surely has, adjacent and in this order.

    The phrase's own tokens, less a lone Han character at either end whose neighbour in the phrase
    is Han (低、救助): in the text its run may go on (最低、救助), giving a bigram instead. Empty when
    nothing can be looked up (a lone Han character): the phrase then only confirms."""
    runs = _RUN_RE.findall(phrase)
    result = _run_tokens(runs)
    if len(runs) == 1 and len(runs[0][0]) == 1:
        return ()
    if runs and len(runs[0][0]) == 1 and not runs[1][1]:
        result = result[1:]
    if len(runs) > 1 and len(runs[-1][0]) == 1 and not runs[-2][1]:
        result = result[:-1]
    return tuple(result)


def parse_query(raw: str) -> Query:
    """Never raises. Every character is plain text: FTS and tsquery syntax has no meaning here."""
    norm = normalise(raw) if isinstance(raw, str) else ""
    parts: list[str] = []
    for part in norm.split():
        runs = list(_RUN_RE.finditer(part))
        if runs:
            parts.append(part[runs[0].start() : runs[-1].end()])
    phrases = _dedup(parts)
    if not phrases:
        return Query((), (), MSG_EMPTY)
    if len(_SPACE_RE.sub(" ", norm).strip()) > MAX_QUERY_LENGTH:
        return Query((), (), MSG_TOO_LONG)
    terms = _dedup([token for phrase in phrases for token in phrase_tokens(phrase)])
    if not terms:
        return Query((), (), MSG_TOO_SHORT)
    return Query(terms, phrases)


def index_phrases(query: Query) -> list[tuple[str, ...]]:
    """Per searchable phrase of the query, the tokens that must be adjacent in the index.
    Raises ValueError for a query that cannot be searched."""
    if query.error or not query.terms:
        raise ValueError(f"query cannot be searched: {query.error or 'no terms'}")
    return [run for run in map(phrase_tokens, query.phrases) if run]


def index_groups(query: Query) -> list[list[tuple[str, ...]]]:
    """Per phrase group (phrase_groups), the token runs of its phrases: one run must be in the index
    (adjacent). A group with a phrase that cannot be looked up (a lone character) only confirms."""
    if query.error or not query.terms:
        raise ValueError(f"query cannot be searched: {query.error or 'no terms'}")
    groups = []
    for group in phrase_groups(query):
        runs = [phrase_tokens(phrase) for phrase in group]
        if all(runs):
            groups.append(list(_dedup_runs(runs)))
    return groups


def _dedup_runs(runs: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    return list(dict.fromkeys(runs))


@functools.lru_cache(maxsize=4096)
def _pattern(phrase: str) -> tuple[re.Pattern[str], int]:
    """The regular expression a normalised text must match to hold the phrase, and the most
    characters a match spans. Its runs appear in order and exactly: a word whole (3号 is not in
    13号), a Han run at either end as part of a longer run (保障 is in 低保障), a Han run inside
    the phrase whole. Between two runs up to MAX_GAP separators, at least one between two runs of
    the same kind (as the query has: otherwise they would be one run)."""
    runs = [(match.group(), bool(match.group(1))) for match in _RUN_RE.finditer(phrase)]
    if not runs:
        return re.compile("(?!)"), 0
    parts: list[str] = []
    for i, (run, han) in enumerate(runs):
        if i:
            parts.append(f"{_SEPARATOR}{{{int(han == runs[i - 1][1])},{MAX_GAP}}}")
        parts.append(re.escape(run))
        if i == 0 and not han:  # after the literal, so that re scans for the literal (fast)
            parts.append(f"(?<!{_WORD_CHAR}{re.escape(run)})")
    if not runs[-1][1]:
        parts.append(f"(?!{_WORD_CHAR})")
    longest = sum(len(run) for run, _ in runs) + MAX_GAP * (len(runs) - 1)
    return re.compile("".join(parts)), longest


# -- Filters as index terms ---------------------------------------------------------------------------
# Each entry's filter values are also indexed, as tokens of a second column ("facets") that no query
# text can reach: a filter is then one more AND term of the full-text query, and the index can walk
# its rows newest first and stop after a page, whatever filters are set.

FACET_PREFIX = {
    "agency_id": "a",
    "category_id": "c",
    "department_id": "d",
    "year": "y",
    "validity": "v",
    "genre": "g",
}


def facet_token(column: str, value: object) -> str:
    """One filter value as a single index token: letters and digits only (strings hex-encoded)."""
    prefix = FACET_PREFIX[column]
    if isinstance(value, str):
        return f"{prefix}x{value.encode('utf-8').hex()}"
    return f"{prefix}{int(value)}"  # type: ignore[call-overload]


def facet_text(fields: dict[str, object]) -> str:
    """What an entry's facets column holds: a token per filter value it has."""
    return " ".join(
        facet_token(column, value)
        for column, value in fields.items()
        if column in FACET_PREFIX and value not in (None, "")
    )


def facet_groups(filters: dict[str, object] | None) -> list[list[str]]:
    """The filters as an AND of OR-groups of tokens (a list value: any of them)."""
    groups = []
    for column, value in (filters or {}).items():
        if column not in FACET_PREFIX or value in (None, "") or value == []:
            continue
        values = value if isinstance(value, list | tuple) else [value]
        groups.append(list(dict.fromkeys(facet_token(column, v) for v in values)))
    return groups


# -- Newest-first order as a single integer ------------------------------------------------------------
# SQLite's FTS5 returns matches in rowid order and stops after a page when asked for ORDER BY rowid. Its
# rowid is therefore the entry's place in newest-first order: publication second descending, then item
# id descending. Ascending keys = newest first; all keys are positive and fit a signed 64-bit integer.

_SECONDS = 2**33  # publication times up to the year 2242
_IDS = 10**9


def recency_key(published_epoch_seconds: int, item_id: int) -> int:
    """The entry's positive sort key: newest publication second first, then the higher item id.

    Domain: item ids 1 .. 10**9 - 1 (ValueError outside); seconds 0 .. 2**33 - 2 since 1970 (UTC).
    Earlier times count as 1970 and later ones as the last second, so the key stays in 1 .. 2**63 - 1.
    """
    if not 0 < item_id < _IDS:
        raise ValueError(f"item id {item_id} outside the range the search index can order")
    seconds = min(max(int(published_epoch_seconds), 0), _SECONDS - 2)
    return (_SECONDS - 1 - seconds) * _IDS + (_IDS - 1 - item_id)


# PostgreSQL's tsvector keeps word positions up to 16,383 and at most 256 positions per lexeme; past
# those a phrase (<->) can miss. Entries beyond either limit (with a margin) are "lossy": their
# phrases are checked on the token text instead.
PG_MAX_POSITIONS = 15000
PG_MAX_PER_LEXEME = 250


def positions_lossy(index_tokens: list[str]) -> bool:
    if len(index_tokens) > PG_MAX_POSITIONS:
        return True
    counts: dict[str, int] = {}
    for token in index_tokens:
        counts[token] = counts.get(token, 0) + 1
    return max(counts.values(), default=0) > PG_MAX_PER_LEXEME


def _fts5_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def fts5_match(query: Query, filters: dict[str, object] | None = None) -> str:
    """An FTS5 MATCH expression over the `tokens` column: quoted strings joined by AND; a phrase of
    several tokens is one quoted FTS5 phrase ("低保 保障", "2019 年 年度": adjacent tokens). Filters
    become tokens of the `facets` column (see facet_token)."""
    if _simple(query):
        runs = index_phrases(query)
        text = " AND ".join(_dedup([_fts5_string(" ".join(run)) for run in runs]))
    else:
        alternatives = []
        for runs in index_groups(query):
            quoted = _dedup([_fts5_string(" ".join(run)) for run in runs])
            alternatives.append(quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")")
        text = (" OR " if query.any_phrase else " AND ").join(_dedup(alternatives))
    expression = f"tokens : ({text})"
    groups = facet_groups(filters)
    if groups:
        ands = " AND ".join("(" + " OR ".join(_fts5_string(t) for t in group) + ")" for group in groups)
        expression += f" AND facets : ({ands})"
    return expression


def tsquery_text(query: Query, *, phrase: bool = True) -> str:
    """Input for PostgreSQL's to_tsquery('simple', ...): quoted lexemes joined by &, phrases of
    several tokens as ('ab' <-> 'bc') chains. Note: a tsvector caps positions at 16,383 and keeps at most 256
    positions per lexeme, so <-> misses matches deep in long texts; with phrase=False every
    bigram is simply ANDed (full recall; contains_all then confirms the exact substring)."""

    def quote(lexeme: str) -> str:
        return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"

    parts: list[str] = []
    if not _simple(query):
        joiner = " <-> " if phrase else " & "
        for runs in index_groups(query):
            parts.append("(" + " | ".join("(" + joiner.join(map(quote, run)) + ")" for run in runs) + ")")
        return (" | " if query.any_phrase else " & ").join(_dedup(parts))
    for run in index_phrases(query):
        if phrase and len(run) > 1:
            parts.append("(" + " <-> ".join(quote(token) for token in run) + ")")
        else:
            parts.extend(quote(token) for token in run)
    return " & ".join(_dedup(parts))


def contains_all(text: str, query: Query) -> bool:
    """Exact confirmation: every phrase of the query occurs, as a whole sequence, in the normalised
    text (see _pattern)."""
    if query.error or not query.phrases:
        return False
    return _groups_found(normalise(text), query)


def _groups_found(norm: str, query: Query) -> bool:
    found = matched_groups(norm, query, normalised=True)
    return found > 0 if query.any_phrase else found == len(query.phrases)


def matched_groups(text: str, query: Query, *, normalised: bool = False) -> int:
    """How many of the query's phrase groups the text holds (a split query ranks by this)."""
    norm = text if normalised else normalise(text)
    return sum(any(_pattern(phrase)[0].search(norm) for phrase in group) for group in phrase_groups(query))


# The normalised text, the start and end in the original text of each of its characters, and the
# cluster boundaries (None: every position). See _aligned.
_Aligned = tuple[str, Sequence[int], Sequence[int], set[int] | None]


def _aligned(text: str) -> _Aligned:
    """The normalised text; for each of its characters the span of original characters it came
    from; the cluster boundaries (None: every position). Per character where NFKC cannot
    combine neighbours, else per combining cluster."""
    tables = _tables()
    if not _has_special(tables, text):  # every character becomes exactly one: aligned 1:1
        norm = text.translate(tables.per_char) if tables.changing.search(text) else text
        return norm, range(len(text)), range(1, len(text) + 1), None
    starts: list[int] = []
    ends: list[int] = []
    pieces: list[str] = []
    if not tables.unsafe.search(text):
        position = 0
        for match in tables.irregular.finditer(text):
            i = match.start()
            starts.extend(range(position, i))
            ends.extend(range(position + 1, i + 1))
            result = tables.per_char.get(ord(text[i])) or ""
            starts.extend([i] * len(result))
            ends.extend([i + 1] * len(result))
            position = i + 1
        starts.extend(range(position, len(text)))
        ends.extend(range(position + 1, len(text) + 1))
        return text.translate(tables.per_char), starts, ends, None
    bounds = [i for i, char in enumerate(text) if i == 0 or not tables.joins.match(char)]
    for start, end in zip(bounds, [*bounds[1:], len(text)], strict=True):
        result = normalise(text[start:end])
        pieces.append(result)
        starts.extend([start] * len(result))
        ends.extend([end] * len(result))
    return "".join(pieces), starts, ends, {*bounds, len(text)}


@cache
def _hidden() -> re.Pattern[str]:
    """Control, format and surrogate characters that are not whitespace."""
    return _char_class(
        [
            cp
            for cp in range(0x110000)
            if unicodedata.category(chr(cp)) in ("Cc", "Cf", "Cs") and not chr(cp).isspace()
        ]
    )


def _clean(fragment: str) -> str:
    """Displayable text: whitespace collapsed, control and format characters dropped, escaped."""
    return html.escape(_SPACE_RE.sub(" ", _hidden().sub("", fragment)))


def highlight(text: str, query: Query, *, width: int = 120) -> str:
    """An escaped snippet of about `width` original characters around the first match, every
    occurrence of a phrase in <mark>; '…' where the text was cut."""
    return _snippet(text, _aligned(text) if text else ("", [], [], None), query, width)


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _has_special(tables: _Tables, text: str) -> bool:
    if _ASTRAL.search(text):
        return tables.special.search(text) is not None
    return tables.special_bmp.search(text) is not None


def confirmed_snippet(text: str, query: Query, *, width: int = 120) -> str | None:
    """contains_all and highlight in one pass over the text: the snippet, or None without a match."""
    if query.error or not query.phrases:
        return None
    tables = _tables()
    if not _simple(query):  # alternatives: confirmed group by group on the normalised text
        aligned = _aligned(text)
        return _snippet(text, aligned, query, width) if _groups_found(aligned[0], query) else None
    patterns = [_pattern(phrase) for phrase in query.phrases]
    if not _has_special(tables, text):
        # Aligned 1:1. Found as they are in the text, the phrases are most likely found in the
        # normalised text near there too: then only the text up to the snippet's end is normalised.
        raw = [pattern.search(text) for pattern, _ in patterns]
        longest = max(length for _, length in patterns)
        if all(raw):
            # Past every raw match by the longest a match can be: an earlier match in the normalised
            # text (a Traditional form) ends inside, and the character after a match decides it.
            cut = max(match.end() for match in raw if match) + longest + 1
            norm = text[:cut].translate(tables.per_char)
            found = [pattern.search(norm) for pattern, _ in patterns]
            # Complete when no match starting before one found could reach past the cut.
            if all(found) and (
                cut >= len(text)
                or all(
                    match and match.start() + length < len(norm)
                    for match, (_, length) in zip(found, patterns, strict=True)
                )
            ):
                first = min(match.start() for match in found if match)  # the earliest, maybe not raw
                # Every occurrence that can touch the snippet starts before first + width.
                end = first + max(width, 1) + 2 * longest + 1
                norm += text[cut:end].translate(tables.per_char)
                return _snippet(text, (norm, range(len(norm)), range(1, len(norm) + 1), None), query, width)
    aligned = _aligned(text)
    if not all(pattern.search(aligned[0]) for pattern, _ in patterns):
        return None
    return _snippet(text, aligned, query, width)


def _snippet(text: str, aligned: _Aligned, query: Query, width: int) -> str:
    width = max(width, 1)
    if not text:
        return ""
    norm, starts, ends, cuts = aligned
    spans: list[tuple[int, int]] = []
    for phrase in all_phrases(query) if not query.error else ():
        for match in _pattern(phrase)[0].finditer(norm):
            spans.append((starts[match.start()], ends[match.end() - 1]))
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    first_start, first_end = merged[0] if merged else (0, 0)
    if first_end - first_start >= width:
        left = first_start
    else:
        left = max(0, first_start - (width - (first_end - first_start)) // 3)
    right = min(len(text), left + width)
    left = max(0, min(left, right - width))
    while cuts is not None and left not in cuts:  # never cut inside a combining cluster
        left -= 1
    while cuts is not None and right not in cuts:
        right += 1
    out: list[str] = ["…"] if left > 0 else []
    position = left
    for start, end in merged:
        start, end = max(start, left), min(end, right)
        if start >= end:
            continue
        out.append(_clean(text[position:start]))
        out.append(f"<mark>{_clean(text[start:end])}</mark>")
        position = end
    out.append(_clean(text[position:right]))
    if right < len(text):
        out.append("…")
    return "".join(out).strip()


@functools.cache
def _s2t() -> opencc.OpenCC:
    import opencc

    return opencc.OpenCC("s2t")


def traditional(text: str) -> str:
    """The Traditional form of a Simplified text (for matching stored text that was not normalised)."""
    converted: str = _s2t().convert(text)
    return converted
