"""Dedupe: planted near-duplicates, a rewrite, an independent report, and the seeds."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from newsfuse.dedupe import DedupeConfig, chains_within, find_copies, signature
from newsfuse.models import Article, CopyChain, Story, WriteUp
from newsfuse.text import words

FIXTURES = Path(__file__).parent / "fixtures" / "dedupe" / "copies.json"


def _load() -> dict[str, Article]:
    raw = json.loads(FIXTURES.read_text(encoding="utf-8"))
    out = {}
    for name, item in raw.items():
        if name == "note":
            continue
        out[name] = Article(
            id=item["id"],
            text=item["text"],
            title=item["title"],
            published=date.fromisoformat(item["published"]),
            key=item["id"],
        )
    return out


def _chain_of(chains: list[CopyChain], article_id: str) -> CopyChain | None:
    return next((c for c in chains if article_id in c.members), None)


def test_reprint_is_a_near_duplicate_and_independent_report_is_not_chained() -> None:
    docs = _load()
    chains = find_copies([docs["wire"], docs["reprint"], docs["independent"]], DedupeConfig(rewrites=False))
    assert len(chains) == 1
    chain = chains[0]
    assert chain.kind == "near-duplicate"
    assert set(chain.members) == {"wire", "reprint"}
    assert chain.similarity >= 0.5
    # Same day: the longer text is the original.
    longer = max((docs["wire"], docs["reprint"]), key=lambda a: len(a.text))
    assert chain.original == longer.id


def test_rewrite_joins_the_chain_of_its_report() -> None:
    docs = _load()
    chains = find_copies(list(docs.values()))
    chain = _chain_of(chains, "rewrite")
    assert chain is not None
    assert chain.kind == "rewrite"
    assert {"wire", "reprint", "rewrite"} <= set(chain.members)
    assert _chain_of(chains, "independent") is None
    # The rewrite came a day later, so it is a copy, never the original.
    assert chain.original != "rewrite"


def test_rewrite_needs_the_same_order_of_sentences() -> None:
    docs = _load()
    wire = docs["wire"]
    shuffled_lines = wire.text.split("\n")[::-1]
    shuffled = Article(id="shuffled", text="\n".join(shuffled_lines), published=wire.published, key="s")
    pair = find_copies([wire, shuffled], DedupeConfig(near_threshold=0.9))
    # Reversed sentence order: at most one sentence aligns monotonically.
    assert pair == []


def test_earliest_published_is_the_original() -> None:
    docs = _load()
    early = Article(id="early", text=docs["reprint"].text, published=date(2025, 5, 1), key="early")
    chains = find_copies([docs["wire"], early])
    assert chains and chains[0].original == "early"


def test_short_texts_are_not_called_copies() -> None:
    a = Article(id="a", text="Markets closed higher on Friday.", key="a")
    b = Article(id="b", text="Markets closed higher on Friday.", key="b")
    assert find_copies([a, b]) == []


def test_signature_estimates_jaccard() -> None:
    docs = _load()
    cfg = DedupeConfig(num_perm=256)
    a, b = words(docs["wire"].text), words(docs["reprint"].text)

    def shingles(tokens: list[str]) -> set[str]:
        return {" ".join(tokens[i : i + 5]) for i in range(len(tokens) - 4)}

    true = len(shingles(a) & shingles(b)) / len(shingles(a) | shingles(b))
    estimate = float(np.mean(signature(a, cfg) == signature(b, cfg)))
    assert abs(estimate - true) < 0.12
    c = words(docs["independent"].text)
    assert float(np.mean(signature(a, cfg) == signature(c, cfg))) < 0.1


def test_seeds_form_one_story_with_fewer_independent_sources(seeds_dir: Path) -> None:
    clean_module = pytest.importorskip("newsfuse.clean")
    from newsfuse.cluster import assign_stories

    articles = [
        clean_module.clean(Article(id=p.name, text=p.read_text(encoding="utf-8"), source_path=str(p)))
        for p in sorted(seeds_dir.glob("*.txt"))
    ]
    assert len(articles) == 5
    stories = assign_stories(articles)
    assert len(set(stories.values())) == 1
    chains = find_copies(articles)
    story = Story(
        id=next(iter(stories.values())),
        article_ids=tuple(a.id for a in articles),
        writeup=WriteUp("", (), ()),
        chains=tuple(chains),
    )
    assert story.independent_sources < len(articles)
    # Seeds 000, 001 and 004 rewrite one Reuters report; 002 and 003 are their own.
    chained = {m[:3] for c in chains for m in c.members}
    assert {"000", "001", "004"} <= chained
    assert not chained & {"002", "003"}
    assert story.independent_sources == 3


def test_chains_within_a_story() -> None:
    chain = CopyChain("a", ("b", "c"), "rewrite", 0.5)
    assert chains_within([chain], ["a", "b", "c", "d"]) == (chain,)
    assert chains_within([chain], ["b", "c"]) == (CopyChain("b", ("c",), "rewrite", 0.5),)
    assert chains_within([chain], ["a", "d"]) == ()


def test_planted_copies_in_a_synthetic_corpus(data_dir: Path) -> None:
    from newsfuse.eval.synth import build

    corpus = build(400, data_dir)
    chains = find_copies(corpus.articles)
    chain_of = {m: c.original for c in chains for m in c.members}
    assert corpus.duplicates
    found = [
        pair
        for pair in corpus.duplicates
        if pair[0] in chain_of and chain_of[pair[0]] == chain_of.get(pair[1])
    ]
    assert len(found) == len(corpus.duplicates)
    # Chains rarely mix planted stories: only where two base texts were
    # themselves versions of one wire report (DUC clusters hold such pairs).
    mixed = [c for c in chains if len({corpus.stories[m] for m in c.members}) > 1]
    assert len(mixed) <= 0.05 * len(chains)


def test_example_corpus_copies_and_independent_reports() -> None:
    """The gold copy pairs of examples/ are chained; reports that only share
    quotes (listed as not copies) are not."""
    clean_module = pytest.importorskip("newsfuse.clean")
    from newsfuse.ingest import ingest

    examples = Path(__file__).parent.parent / "examples"
    gold = json.loads((examples / "expected.json").read_text(encoding="utf-8"))
    articles = [clean_module.clean(a) for a in ingest([str(examples / "corpus")]) if isinstance(a, Article)]
    chains = find_copies(articles)
    chain_of = {m: c.original for c in chains for m in c.members}
    for entry in gold["copies"]:
        for copy in entry["copies"]:
            assert copy in chain_of and chain_of[copy] == chain_of.get(entry["original"])
            assert chain_of[copy] == entry["original"]
    for entry in gold["not_copies"]:
        a, b = entry["articles"]
        assert a not in chain_of or chain_of[a] != chain_of.get(b), entry["why"]


def test_band_index_finds_the_candidates_datasketch_finds() -> None:
    """The banded LSH over plain dicts returns exactly datasketch's MinHashLSH
    candidates for the same signatures, bands and rows (also after removals)."""
    from datasketch import MinHash, MinHashLSH

    from newsfuse.dedupe import _BandIndex, _lsh_bands

    cfg = DedupeConfig()
    docs = _load()
    texts = [d.text for d in docs.values()]
    # Variants that share many, some or few shingles with their source.
    texts += [t.replace(".", " today.", k) for t in texts for k in (1, 3, 8)]
    signatures = [signature(words(t), cfg) for t in texts]
    ours = _BandIndex(cfg.near_threshold, cfg.num_perm)
    theirs = MinHashLSH(num_perm=cfg.num_perm, params=_lsh_bands(cfg.near_threshold, cfg.num_perm))
    for n, sig in enumerate(signatures):
        mh = MinHash(num_perm=cfg.num_perm, hashvalues=sig, scheme="affine64")
        keys = ours.band_keys(sig)
        assert ours.query(keys) == set(theirs.query(mh))
        ours.insert(str(n), keys)
        theirs.insert(str(n), mh)
    for n in range(0, len(signatures), 2):
        ours.remove(str(n))
        theirs.remove(str(n))
    for sig in signatures:
        assert ours.query(ours.band_keys(sig)) == set(
            theirs.query(MinHash(num_perm=cfg.num_perm, hashvalues=sig, scheme="affine64"))
        )
    assert any(len(ours.query(ours.band_keys(sig))) > 1 for sig in signatures)
