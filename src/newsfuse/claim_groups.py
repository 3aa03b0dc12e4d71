"""How the outlets line up on the facts they state: claims with who asserts,
who contradicts and who is silent.

`group_facts` meets the facts of `newsfuse.claims` on their keys; values are
intervals, so "June", "June 19-20" and "Wednesday" (with "two-day trip") agree
where they overlap and conflict where they do not. Conflicts are reported,
never resolved. `attribution_claims` lists which outlets cite which source.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from newsfuse.claims import Fact
from newsfuse.models import Citation, Claim, Sentence

# Where an open interval ("before 2000") starts: the first day a date can hold.
_OPEN_START = float(date.min.toordinal())


def _same_occurrence(a: Fact, b: Fact) -> bool:
    """Two dates of one event key are one occurrence unless far apart: Putin's
    visit in 2000 and his visit this June are two visits, not a conflict; June 19
    against June 25 is a conflict. "Far" scales with the values' precision."""
    if not a.single or a.kind != "date":
        return True
    if a.low <= b.high and b.low <= a.high:
        return True
    if a.sentence == b.sentence or min(a.low, b.low) <= _OPEN_START:
        return False  # a list ("in 1961, 2000 and 2001"), or an open interval that misses
    span = max(a.high - a.low, b.high - b.low, 1.0)
    gap = max(a.low, b.low) - min(a.high, b.high)
    return gap <= max(31.0, 2 * span)


def group_facts(facts: Sequence[Fact], outlets: Sequence[str]) -> list[Claim]:
    """Facts -> claims with who asserts, who contradicts and who is silent."""
    by_key: dict[tuple[str, ...], list[Fact]] = defaultdict(list)
    for fact in facts:
        key = fact.key if fact.single else (*fact.key, fact.value)
        by_key[key].append(fact)
    claims = []
    for group in by_key.values():
        for occurrence in _occurrences(group):
            claims.append(_claim(occurrence, outlets))
    claims.sort(key=lambda c: (-len(c.asserted_by) - len(c.contradicted_by), c.kind, c.subject, c.value))
    return claims


def _occurrences(group: list[Fact]) -> list[list[Fact]]:
    """Split one key's facts into occurrences (single linkage on `_same_occurrence`)."""
    clusters: list[list[Fact]] = []
    for fact in sorted(group, key=lambda f: f.low):
        for cluster in clusters:
            if any(_same_occurrence(fact, other) for other in cluster):
                cluster.append(fact)
                break
        else:
            clusters.append([fact])
    return clusters


def _claim(facts: list[Fact], outlets: Sequence[str]) -> Claim:
    single = len(facts) == 1  # most claims: one outlet's one statement
    canonical = facts[0] if single else _canonical(facts)
    agree = [
        f
        for f in facts
        if f.low <= canonical.high
        and canonical.low <= f.high
        and (f.kind == "date" or f.value == canonical.value or canonical.single)
    ]
    by_outlet: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        by_outlet[f.outlet].append(f)
    asserted = sorted({f.outlet for f in agree})
    contradicted = sorted(o for o in by_outlet if o not in asserted)
    silent = [o for o in outlets if o not in by_outlet]
    evidence, versions = _evidence(canonical, facts)
    return Claim(
        subject=canonical.subject if single else Counter(f.subject for f in facts).most_common(1)[0][0],
        relation=canonical.relation,
        value=canonical.value,
        kind=canonical.kind,
        surface=canonical.surface,
        evidence=evidence,
        asserted_by=tuple(asserted),
        contradicted_by=tuple(contradicted),
        silent=tuple(silent),
        versions=versions,
    )


def _canonical(facts: Sequence[Fact]) -> Fact:
    """The value most outlets support; ties go to the most precise one."""

    def support(f: Fact) -> tuple[int, int, int, float]:
        outlets = {g.outlet for g in facts if g.low <= f.high and f.low <= g.high}
        same = sum(1 for g in facts if g.value == f.value)
        contained = sum(1 for g in facts if f.low <= g.low and g.high <= f.high)
        return len(outlets), same, contained, -(f.high - f.low)

    return max(facts, key=support)


def _evidence(
    canonical: Fact, facts: Iterable[Fact]
) -> tuple[tuple[Citation, ...], tuple[tuple[str, str, str], ...]]:
    """One citation per (sentence, surface), the canonical fact's first."""
    ordered = [canonical, *[f for f in facts if f is not canonical]]
    seen: set[tuple[str, int, str]] = set()
    citations, versions = [], []
    for f in ordered:
        key = (f.sentence.article_id, f.sentence.index, f.surface)
        if key in seen:
            continue
        seen.add(key)
        citations.append(Citation(f.sentence))
        versions.append((f.outlet, f.value, f.surface))
    return tuple(citations), tuple(versions)


def attribution_claims(
    sources: Mapping[str, list[tuple[str, Sentence, str]]], outlets: Sequence[str]
) -> list[Claim]:
    """ "X said ...": which outlets cite which source. `sources` maps speaker ->
    (outlet, sentence, surface) triples. No conflicts: citing nobody is silence."""
    claims = []
    for speaker, cited in sources.items():
        seen: set[tuple[str, int]] = set()
        evidence, versions = [], []
        for outlet, sentence, surface in cited:
            if (sentence.article_id, sentence.index) in seen:
                continue
            seen.add((sentence.article_id, sentence.index))
            evidence.append(Citation(sentence))
            versions.append((outlet, "cited", surface))
        asserted = sorted({o for o, _, _ in cited})
        claims.append(
            Claim(
                speaker,
                "is cited as a source",
                "cited",
                "attribution",
                cited[0][2],
                tuple(evidence),
                tuple(asserted),
                (),
                tuple(o for o in outlets if o not in asserted),
                tuple(versions),
            )
        )
    claims.sort(key=lambda c: (-len(c.asserted_by), c.subject))
    return claims
