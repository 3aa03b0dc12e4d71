"""A light English suffix stripper for matching terms, not for display.

"arrests", "arrested" and "arresting" must meet "arrest" (also the word a
dictionary translation gives); a full Porter stemmer is not needed for
that, and an aggressive one merges words that tell events apart.
"""

from __future__ import annotations

_SUFFIXES = (
    ("ies", "y"),
    ("ied", "y"),
    ("ing", ""),
    ("ed", ""),
    ("es", ""),
    ("s", ""),
)
_KEEP_ES = ("ss", "us", "is")  # "class", "virus", "crisis" keep their ending


# Not memoised here: callers that see words again keep their own per-run
# cache (features.TermCache); a module-wide LRU held a tracked list per entry,
# which every full garbage collection walked (a tenth of clustering at 100k).
def stem(word: str) -> str:
    """Strip one inflectional suffix from a lower-case word of 5+ letters."""
    if len(word) < 5 or not word.isalpha():
        return word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(_KEEP_ES):
                return word
            if suffix == "es" and not word.endswith(("ches", "shes", "xes", "sses", "zes")):
                continue
            base = word[: -len(suffix)] + replacement
            if suffix in ("ing", "ed") and len(base) > 3 and base[-1] == base[-2] and base[-1] not in "lsz":
                base = base[:-1]  # "stopped" -> "stop"
            return base
    return word
