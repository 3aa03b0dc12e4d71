"""Compare the sources of one story: claims, agreement, quotes, entities, timeline.

`compare(articles)` reads every sentence once: date expressions are resolved
against each article's publication date (`newsfuse.temporal`), entities are
found and linked (`newsfuse.entities`, spaCy when a model is injected), facts
are read off sentences (`newsfuse.claims`) and grouped across outlets
(`newsfuse.claim_groups`), quotes and paraphrases are attributed
(`newsfuse.quotes`). Everything the result holds cites the source sentences it
was read from; conflicts are shown, never resolved.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from newsfuse.claim_groups import attribution_claims, group_facts
from newsfuse.claims import Fact, new_context, sentence_facts
from newsfuse.entities import Mention, NlpFn, build_index
from newsfuse.gazetteer import fold
from newsfuse.models import Article, Citation, Claim, Comparison, Quote, Sentence, TimelineEvent
from newsfuse.quotes import find_quotes, find_sources, merge_quotes
from newsfuse.temporal import DateMention, find_dates
from newsfuse.text import split_sentences

__all__ = [
    "CompareConfig",
    "agreement_table",
    "compare",
    "comparison_to_json",
    "comparison_to_markdown",
    "outlet_of",
]


@dataclass(frozen=True, slots=True)
class CompareConfig:
    """`nlp`: an optional spaCy-like callable (text -> doc with .ents); None
    uses the rule-based entity finder. `max_claims`/`max_timeline` cap what
    is kept (most-supported first) so a large story stays readable."""

    nlp: NlpFn | None = None
    max_claims: int = 200
    max_timeline: int = 100
    include_attributions: bool = True


def outlet_of(article: Article) -> str:
    """The outlet name, or the article id when the outlet is unknown."""
    return article.outlet or article.id


def compare(articles: Sequence[Article], cfg: CompareConfig = CompareConfig()) -> Comparison:
    """How the outlets of one story compare, fact by fact."""
    outlets = tuple(dict.fromkeys(outlet_of(a) for a in articles))
    outlet_by_id = {a.id: outlet_of(a) for a in articles}
    sentences = {a.id: split_sentences(a) for a in articles}
    flat = [s for a in articles for s in sentences[a.id]]
    index = build_index(flat, outlet_by_id, cfg.nlp, {a.id: a.text for a in articles})
    facts: list[Fact] = []
    dated: list[tuple[DateMention, Sentence, str]] = []
    found_quotes = []
    cited: dict[str, list[tuple[str, Sentence, str]]] = defaultdict(list)
    main_people = index.main_people()
    # Wire copies repeat sentences word for word: their dates are read once.
    dates_of: dict[tuple[str, date | None], list[DateMention]] = {}
    for article in articles:
        outlet = outlet_by_id[article.id]
        main_person = main_people.get(article.id, "")
        ctx = new_context(main_person, article.published)
        for s in sentences[article.id]:
            key = (s.text, article.published)
            dates = dates_of.get(key)
            if dates is None:
                dates = dates_of[key] = find_dates(s.text, article.published)
            if dates:
                dated.extend([(d, s, outlet) for d in dates])
            mentions = index.mentions(s)
            folded = fold(s.text)  # lower-cased once for the rules that read it
            facts.extend(sentence_facts(s, outlet, dates, mentions, ctx, folded))
            # a sentence without names cites no one
            for name in find_sources(s.text, mentions, folded) if mentions else ():
                cited[name].append((outlet, s, _surface_of(name, mentions)))
        found_quotes.extend(
            find_quotes(article.text, sentences[article.id], outlet, index.mentions, main_person)
        )
    quotes = merge_quotes(found_quotes, [a.text for a in articles])
    claims = group_facts(facts, outlets)
    if cfg.include_attributions:
        for name, items in _sources(quotes, outlet_by_id).items():
            cited[name].extend(items)
        claims.extend(attribution_claims(cited, outlets))
    return Comparison(
        claims=tuple(claims[: cfg.max_claims]),
        quotes=tuple(quotes),
        entities=index.entities,
        timeline=tuple(_timeline(dated, facts)[: cfg.max_timeline]),
        outlets=outlets,
    )


def _surface_of(name: str, mentions: Sequence[Mention]) -> str:
    """How the sentence writes the entity (a short form like "Putin" for "Vladimir Putin")."""
    for m in mentions:
        if m.name == name:
            return m.surface
    return name


def _sources(
    quotes: Sequence[Quote], outlet_by_id: Mapping[str, str]
) -> dict[str, list[tuple[str, Sentence, str]]]:
    """Speaker -> (outlet, sentence, surface): who each outlet cites."""
    sources: dict[str, list[tuple[str, Sentence, str]]] = defaultdict(list)
    for q in quotes:
        if not q.speaker:
            continue
        for c in q.evidence:
            if q.speaker in c.sentence.text:
                sources[q.speaker].append((outlet_by_id[c.article_id], c.sentence, q.speaker))
    return {k: v for k, v in sources.items() if v}


def _timeline(
    dated: Sequence[tuple[DateMention, Sentence, str]], facts: Sequence[Fact]
) -> list[TimelineEvent]:
    """Dated events in time order; one event per date and event, all its sources cited."""
    event_of: dict[tuple[str, int, str], str] = {}
    for f in facts:
        if f.kind == "date":
            event_of[(f.sentence.article_id, f.sentence.index, f.surface)] = f.subject
    groups: dict[tuple[str, str], list[tuple[DateMention, Sentence]]] = defaultdict(list)
    for d, s, _ in dated:
        subject = event_of.get((s.article_id, s.index, d.surface))
        key = (d.when.iso(), subject or f"{s.article_id}#{s.index}")
        groups[key].append((d, s))
    events = []
    for (when, _), members in groups.items():
        unique: dict[tuple[str, int], tuple[DateMention, Sentence]] = {}
        for d, s in members:
            unique.setdefault((s.article_id, s.index), (d, s))
        chosen = min(unique.values(), key=lambda ds: len(ds[1].text))[1]
        events.append(
            (
                members[0][0].when.start,
                members[0][0].when.end,
                TimelineEvent(
                    when=when,
                    text=chosen.text,
                    evidence=tuple(Citation(s) for _, s in unique.values()),
                    surfaces=tuple(d.surface for d, _ in unique.values()),
                ),
            )
        )
    events.sort(key=lambda e: (e[0], e[1], -len(e[2].evidence)))
    return [e for _, _, e in events]


# --- views ---------------------------------------------------------------------


def _stance(claim: Claim, outlet: str) -> str:
    if outlet in claim.asserted_by:
        return "asserts"
    if outlet in claim.contradicted_by:
        return "contradicts"
    return "silent"


def agreement_table(comparison: Comparison) -> list[dict[str, object]]:
    """Claims × outlets: per outlet its stance, the value it gives and its
    sources. `status` is "agreed", "conflict" or "only <outlet>"; a conflict
    lists every version with its citations and is never resolved."""
    rows: list[dict[str, object]] = []
    for claim in comparison.claims:
        cells: dict[str, object] = {}
        for outlet in comparison.outlets:
            versions = [
                (v, c) for v, c in zip(claim.versions, claim.evidence, strict=False) if v[0] == outlet
            ]
            cells[outlet] = {
                "stance": _stance(claim, outlet),
                "values": sorted({v[1] for v, _ in versions}),
                "surfaces": sorted({v[2] for v, _ in versions}),
                "citations": [c.as_json() for _, c in versions],
            }
        if claim.contradicted_by:
            status = "conflict"
        elif len(claim.asserted_by) == 1:
            status = f"only {claim.asserted_by[0]}"
        else:
            status = "agreed"
        rows.append(
            {
                "subject": claim.subject,
                "relation": claim.relation,
                "value": claim.value,
                "kind": claim.kind,
                "status": status,
                "outlets": cells,
            }
        )
    return rows


def _claim_json(claim: Claim) -> dict[str, object]:
    return {
        "subject": claim.subject,
        "relation": claim.relation,
        "value": claim.value,
        "kind": claim.kind,
        "surface": claim.surface,
        "asserted_by": list(claim.asserted_by),
        "contradicted_by": list(claim.contradicted_by),
        "silent": list(claim.silent),
        "versions": [
            {"outlet": o, "value": v, "surface": s, "citation": c.as_json()}
            for (o, v, s), c in zip(claim.versions, claim.evidence, strict=False)
        ],
    }


def comparison_to_json(c: Comparison) -> dict[str, object]:
    """JSON-able dict: claims, agreement, quotes, entities, timeline (ISO dates)."""
    return {
        "outlets": list(c.outlets),
        "claims": [_claim_json(claim) for claim in c.claims],
        "agreement": agreement_table(c),
        "quotes": [
            {
                "speaker": q.speaker,
                "text": q.text,
                "verbatim": q.verbatim,
                "outlets": list(q.outlets),
                "citations": [e.as_json() for e in q.evidence],
            }
            for q in c.quotes
        ],
        "entities": [
            {
                "name": e.name,
                "kind": e.kind,
                "mentions": e.mentions,
                "role": e.role,
                "outlets": list(e.outlets),
            }
            for e in c.entities
        ],
        "timeline": [
            {
                "when": t.when,
                "text": t.text,
                "surfaces": list(t.surfaces),
                "citations": [e.as_json() for e in t.evidence],
            }
            for t in c.timeline
        ],
    }


def _cell(cell: Mapping[str, object]) -> str:
    surfaces = cell.get("surfaces")
    shown = "; ".join(str(s) for s in surfaces) if isinstance(surfaces, list) else ""
    stance = cell["stance"]
    if stance == "asserts":
        return f"✓ {shown}".strip()
    if stance == "contradicts":
        return f"✗ {shown}".strip()
    return "—"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def comparison_to_markdown(comparison: Comparison) -> str:
    """The agreement table as a Markdown table, then quotes, entities and timeline."""
    outlets = comparison.outlets
    lines = [
        "## Agreement",
        "",
        "| fact | value | status | " + " | ".join(_md(o) for o in outlets) + " |",
        "|---|---|---|" + "---|" * len(outlets),
    ]
    for row in agreement_table(comparison):
        cells = row["outlets"]
        assert isinstance(cells, dict)
        lines.append(
            f"| {_md(str(row['subject']))} — {_md(str(row['relation']))} | {_md(str(row['value']))} | "
            f"{_md(str(row['status']))} | " + " | ".join(_md(_cell(cells[o])) for o in outlets) + " |"
        )
    lines += ["", "## Quotes", ""]
    for q in comparison.quotes:
        label = "" if q.verbatim else " *(paraphrase)*"
        text = f"“{q.text}”" if q.verbatim else q.text
        lines.append(f"- **{_md(q.speaker or 'unattributed')}**: {_md(text)}{label} — {', '.join(q.outlets)}")
    lines += ["", "## Entities", "", "| name | kind | role | mentions | outlets |", "|---|---|---|---|---|"]
    for e in comparison.entities:
        lines.append(f"| {_md(e.name)} | {e.kind} | {_md(e.role)} | {e.mentions} | {len(e.outlets)} |")
    lines += ["", "## Timeline", ""]
    for t in comparison.timeline:
        sources = ", ".join(sorted({c.article_id for c in t.evidence}))
        lines.append(f"- **{t.when}** — {_md(t.text)} ({sources})")
    return "\n".join(lines) + "\n"
