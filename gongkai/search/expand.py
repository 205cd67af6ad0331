"""Widening a query that finds too little: synonyms, and words split from a phrase. Plain module.

Synonyms (同义词组) are maintained by staff (gongkai.search.services.synonym_group_save): a group of
equivalent terms (低保、最低生活保障) finds an item holding any of them; a one-way group (社会救助 →
低保、临时救助…) widens only its first, broader term to the others. A phrase holding a term (低保标准)
gains the phrase with the term replaced (最低生活保障标准).

A phrase with no match at all is split into words (低保办理 → 低保、办理): an item with any of the
words is found, those with more of them first (see selectors.search_public).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from gongkai.search.text import _HAN, _RUN_RE, Query, normalise, phrase_tokens

MAX_ALTERNATIVES = 8  # per phrase: the index query stays small however many groups match
MAX_WORDS = 6  # a split query keeps its first words
MIN_TERMS, MAX_TERMS, MAX_TERM_LENGTH = 2, 20, 20
_TERM_SEPARATORS = re.compile(r"[\s、，,；;/／=＝|｜]+")

MSG_FEW_TERMS = "请至少填写两个词，用顿号“、”或空格分开。"
MSG_MANY_TERMS = f"一组最多{MAX_TERMS}个词。"
MSG_TERM_LONG = f"每个词不超过{MAX_TERM_LENGTH}个字：“{{term}}”过长。"
MSG_TERM_SHAPE = "“{term}”不能作为检索词：请填写两个汉字以上的词，词中不含标点。"
MSG_DUPLICATE = "“{term}”重复填写了（繁简体或全角半角视为相同）。"


@dataclass(frozen=True)
class SynonymSet:
    terms: tuple[str, ...]  # as staff wrote them; the first is the broader term of a one-way group
    one_way: bool = False


def split_terms(text: str) -> list[str]:
    """The terms of a group as typed in one field: separated by 、，; spaces or new lines."""
    return [term for term in _TERM_SEPARATORS.split(text or "") if term]


def term_errors(terms: list[str]) -> list[str]:
    """Why these terms cannot make a group (Chinese messages); empty when they can."""
    errors: list[str] = []
    if len(terms) < MIN_TERMS:
        errors.append(MSG_FEW_TERMS)
    if len(terms) > MAX_TERMS:
        errors.append(MSG_MANY_TERMS)
    seen: set[str] = set()
    for term in terms:
        norm = normalise(term)
        if len(term) > MAX_TERM_LENGTH:
            errors.append(MSG_TERM_LONG.format(term=term))
        elif len(_RUN_RE.findall(norm)) != 1 or _RUN_RE.fullmatch(norm) is None or not phrase_tokens(norm):
            errors.append(MSG_TERM_SHAPE.format(term=term))
        elif norm in seen:
            errors.append(MSG_DUPLICATE.format(term=term))
        seen.add(norm)
    return errors


def _alternatives(phrase: str, sets: Iterable[SynonymSet]) -> list[str]:
    found: list[str] = []
    for group in sets:
        terms = [normalise(term) for term in group.terms]
        sources = terms[:1] if group.one_way else terms
        present = [term for term in sources if term and term in phrase]
        if not present:
            continue
        source = max(present, key=len)  # 住房公积金 in 住房公积金贷款, not its 公积金
        for other in terms:
            alternative = phrase.replace(source, other)
            if other != source and alternative != phrase and phrase_tokens(alternative):
                found.append(alternative)
    return list(dict.fromkeys(found))[:MAX_ALTERNATIVES]


def with_synonyms(query: Query, sets: Iterable[SynonymSet]) -> Query:
    """The query where each phrase is also satisfied by its synonyms' phrases."""
    sets = list(sets)
    if query.error or not sets:
        return query
    alternatives = tuple(tuple(_alternatives(phrase, sets)) for phrase in query.phrases)
    if not any(alternatives):
        return query
    return replace(query, alternatives=alternatives)


def _pairs(run: str) -> list[str]:
    """A dictionary-free split of a Han run the segmenter left whole: two characters at a time."""
    pieces = [run[i : i + 2] for i in range(0, len(run) - 1, 2)]
    if len(run) % 2:
        pieces.append(run[-2:])
    return pieces


def split_query(query: Query, segment: Callable[[str], list[str]]) -> Query | None:
    """The words of the query's phrases, any of which finds an item; None when splitting gives nothing
    other than the query itself."""
    if query.error or query.any_phrase:
        return None
    words: list[str] = []
    for phrase in query.phrases:
        pieces = [piece.strip() for piece in segment(phrase)]
        if pieces == [phrase] and re.fullmatch(f"[{_HAN}]{{4,}}", phrase):
            pieces = _pairs(phrase)
        for piece in pieces:
            if _RUN_RE.fullmatch(piece) and len(piece) >= 2 and phrase_tokens(piece):
                words.append(piece)
    words = list(dict.fromkeys(words))[:MAX_WORDS]
    if not words or set(words) <= set(query.phrases):
        return None
    terms = tuple(dict.fromkeys(token for word in words for token in phrase_tokens(word)))
    return Query(terms, tuple(words), any_phrase=True)


# Other ways of asking offered when nothing was found (never what was just typed or searched).
HINT_EXAMPLES = ("低保", "最低生活保障", "社会保险", "住房公积金", "办事指南", "政府信息公开")


def _key(text: str) -> str:
    """What two queries share when they search the same: normalised, spaces and punctuation gone."""
    return "".join(match.group() for match in _RUN_RE.finditer(normalise(text or "")))


def hint_terms(typed: str, searched: Iterable[str], n: int = 2) -> list[str]:
    """Up to `n` example queries for the "no results" hint, none of them the query just typed (in
    whatever spacing, width or script) nor any phrase already searched for it (its synonyms, words)."""
    excluded = {_key(typed), *(_key(phrase) for phrase in searched)}
    chosen: list[str] = []
    for term in HINT_EXAMPLES:
        if _key(term) not in excluded and len(chosen) < n:
            chosen.append(term)
    return chosen
