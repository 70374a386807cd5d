"""Themes of the follow-up answers: per question, the words and two-word phrases that
several answers share. Only terms at least two answers use are listed, so a theme never
quotes one person; and only for waves with enough answers (see selectors.MIN_ANSWERS)."""

from __future__ import annotations

import re
from collections import Counter

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
MIN_SHARED = 2
TOP = 8
# Common English words that carry no theme (the app's language is English).
STOPWORDS = frozenset(
    (  # noqa: SIM905 - a word list reads better as text
        "a about after again all also am an and any are as at be because been before being "
        "best but by can could did do does doing done each even every few for from get gets "
        "getting got had has have having he her here hers him his how i if in into is it its "
        "just keep kept less like lot lots made make makes many me more most much my need needs "
        "next no not now of off on once one only or other our ours out over own really same "
        "she should so some still such than that the their them then there these they this "
        "those through to too under until up us very was way we well were what when where which "
        "while who why will with work worked working works would you your yours hope hoping "
        "want thing things think instead"
    ).split()
)


def terms(text: str) -> set[str]:
    """The words (3+ letters, no stopwords) and adjacent word pairs of one answer."""
    words = [w.lower().replace("’", "'") for w in WORD.findall(text or "")]
    kept = [w for w in words if len(w) >= 3 and w not in STOPWORDS]
    pairs = {
        f"{a} {b}"
        for a, b in zip(words, words[1:], strict=False)
        if a in kept and b in kept and a != b
    }
    return set(kept) | pairs


def themes(texts: list[str]) -> list[tuple[str, int]]:
    """(term, number of answers using it), most shared first; a pair hides its words when
    the same answers use it."""
    counts = Counter(term for text in texts for term in terms(text))
    shared = {term: n for term, n in counts.items() if n >= MIN_SHARED}
    pairs = [t for t in shared if " " in t]
    covered = {word for pair in pairs for word in pair.split() if shared[pair] == shared.get(word)}
    ranked = sorted(
        ((t, n) for t, n in shared.items() if t not in covered),
        key=lambda item: (-item[1], " " not in item[0], item[0]),
    )
    return ranked[:TOP]
