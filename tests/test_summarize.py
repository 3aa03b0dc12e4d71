from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from conftest import make_article
from newsfuse.compress import compress, opens_dangling, to_headline
from newsfuse.eval import rouge
from newsfuse.models import Article, CitedSentence, QualityFlag, WriteUp
from newsfuse.sentences import build_corpus
from newsfuse.summarize import SummaryConfig, order, summarize
from newsfuse.summarizers import SUMMARIZERS, fact_graph
from newsfuse.text import split_sentences, words

# A fictional story told by three outlets; the bridge facts recur across them.
HARBOR = (
    "PORTVILLE (Wire) -- The Harbor Bridge in Portville was closed on Tuesday after inspectors found "
    "cracks in two of its steel cables. City engineer Maria Lopez said repairs would take at least six "
    "weeks. About 40,000 vehicles cross the bridge every day. However, ferries will run every ten minutes "
    "during the closure. He said the cost of the work was not yet known. "
    "Click here to subscribe to our newsletter."
)
COAST = (
    "Portville closed the Harbor Bridge on Tuesday after inspectors found cracks in two steel cables. "
    "Repairs will take at least six weeks, according to city engineer Maria Lopez. "
    "The bridge carries about 40,000 vehicles every day. "
    "Local shops near the bridge fear a drop in customers. "
    "Is this the end of the old bridge? "
    "In conclusion, the closure shows how important the bridge is to the whole city and everyone in it."
)
DAILY = (
    "Inspectors found cracks in two steel cables of the Harbor Bridge, which Portville closed on Tuesday. "
    "The bridge was built in 1962 and last repaired in 1998. "
    "Ferries will run every ten minutes while the bridge is closed, the transit agency said. "
    "Mayor Tom Reed promised that the city would pay for the repairs."
)


def story() -> list[Article]:
    return [
        make_article(
            HARBOR,
            id="harbor.txt",
            outlet="Harbor News",
            title="Harbor Bridge closed after cracks found",
            published=date(2024, 3, 5),
        ),
        make_article(
            COAST,
            id="coast.txt",
            outlet="Coast Post",
            title="Harbor Bridge closed after cracks found",
            published=date(2024, 3, 5),
            flags=(QualityFlag("filler", 0.8, "In conclusion, the closure shows"),),
        ),
        make_article(
            DAILY,
            id="daily.txt",
            outlet="Daily",
            title="Cracked cables shut bridge",
            published=date(2024, 3, 6),
        ),
    ]


def is_subsequence(small: list[str], big: list[str]) -> bool:
    it = iter(big)
    return all(word in it for word in small)


def check_grounded(line: CitedSentence, articles: list[Article]) -> None:
    assert line.citations, line.text
    by_id = {a.id: a for a in articles}
    sources = []
    for citation in line.citations:
        s = citation.sentence
        assert by_id[s.article_id].text[s.start : s.end] == s.text
        assert split_sentences(by_id[s.article_id])[s.index] == s
        sources.append(words(s.text))
    assert any(is_subsequence(words(line.text), src) for src in sources), line.text


def n_words(lines: tuple[CitedSentence, ...]) -> int:
    return sum(len(line.text.split()) for line in lines)


def test_write_up_is_bounded_and_every_line_is_grounded() -> None:
    articles = story()
    cfg = SummaryConfig(summary_words=45, max_summary_sentences=2, account_words=80)
    writeup = summarize(articles, cfg)
    assert isinstance(writeup, WriteUp)
    assert 1 <= len(writeup.summary) <= 2 and n_words(writeup.summary) <= 45
    assert writeup.account and n_words(writeup.account) <= 80
    for line in writeup.summary + writeup.account:
        check_grounded(line, articles)


def test_shared_fact_cites_every_outlet_that_reports_it() -> None:
    writeup = summarize(story(), SummaryConfig(summary_words=40, max_summary_sentences=2))
    cracks = [line for line in writeup.summary if "cracks" in line.text]
    assert cracks, [line.text for line in writeup.summary]
    assert {c.article_id for c in cracks[0].citations} == {"harbor.txt", "coast.txt", "daily.txt"}


def test_no_boilerplate_question_filler_or_dangling_opener() -> None:
    writeup = summarize(
        story(), SummaryConfig(summary_words=200, max_summary_sentences=10, account_words=300)
    )
    text = " ".join(line.text for line in writeup.summary + writeup.account)
    assert "subscribe" not in text and "In conclusion" not in text and "?" not in text
    for lines in (writeup.summary, writeup.account):
        assert not opens_dangling(lines[0].text)
    # The AP dateline and the leading connective are compressed away.
    assert "PORTVILLE" not in text and "However" not in text


def test_flagged_source_ranks_below_a_clean_copy() -> None:
    fact = "The river flooded the old mill town of Easton after three days of heavy rain on the hills."
    clean = make_article(
        fact + " Rescue teams moved hundreds of residents to the school gym overnight.", id="clean"
    )
    garbled = make_article(
        fact + " Residents deep conditioning the flood this raised wide concern.",
        id="garbled",
        flags=(QualityFlag("garbled", 0.9, "deep conditioning"),),
    )
    writeup = summarize([garbled, clean], SummaryConfig(summary_words=20, max_summary_sentences=1))
    assert writeup.summary[0].citations[0].article_id == "clean"
    assert {c.article_id for c in writeup.summary[0].citations} == {"clean", "garbled"}


def test_query_focuses_the_summary() -> None:
    cfg = SummaryConfig(
        summary_words=25, max_summary_sentences=1, query="When was the bridge built and repaired?"
    )
    assert "1962" in summarize(story(), cfg).summary[0].text
    cfg = SummaryConfig(summary_words=25, max_summary_sentences=1, query="Who pays for the repairs? mayor")
    assert "Mayor" in summarize(story(), cfg).summary[0].text


def test_headline_is_the_most_common_title_else_the_lead() -> None:
    assert summarize(story()).headline == "Harbor Bridge closed after cracks found"
    untitled = [make_article(HARBOR, id="a"), make_article(DAILY, id="b")]
    headline = summarize(untitled).headline
    assert headline and len(headline.split()) <= 16 and is_subsequence(words(headline), words(HARBOR + DAILY))


@pytest.mark.parametrize("method", sorted(SUMMARIZERS))
def test_every_summarizer_gives_a_grounded_bounded_write_up(method: str) -> None:
    articles = story()
    writeup = summarize(articles, SummaryConfig(summary_words=40, method=method))
    assert writeup.summary and n_words(writeup.summary) <= 40
    for line in writeup.summary + writeup.account:
        check_grounded(line, articles)


def test_unknown_method_and_empty_input() -> None:
    with pytest.raises(ValueError, match="unknown summarizer"):
        summarize(story(), SummaryConfig(method="nope"))
    assert summarize([]) == WriteUp("", (), ())


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "MOSCOW/HANOI: Russian President Vladimir Putin will visit North Korea.",
            "Russian President Vladimir Putin will visit North Korea.",
        ),
        (
            "10-6-2024 (MOSCOW) President Vladimir Putin is set to visit.",
            "President Vladimir Putin is set to visit.",
        ),
        (
            "PINE RIDGE, S.D. (AP) -- President Clinton turned to the poor.",
            "President Clinton turned to the poor.",
        ),
        ("However, ferries will run.", "Ferries will run."),
        ("The bank stopped lending, the official said.", "The bank stopped lending."),
        (
            "The party won the vote _ claiming fraud _ but lost the city.",
            "The party won the vote but lost the city.",
        ),
        (
            "Hun Sen complained Monday that the opposition left.",
            "Hun Sen complained that the opposition left.",
        ),
        ('"We are ready," the minister said.', '"We are ready," the minister said.'),
        (
            "Putin will visit Vietnam, the paper reported on Monday, with the dates agreed.",
            "Putin will visit Vietnam, with the dates agreed.",
        ),
        (
            "Putin plans to visit Hanoi in the coming weeks, according to reports from diplomats.",
            "Putin plans to visit Hanoi in the coming weeks.",
        ),
        ("According to the report, the bridge will reopen in May.", "The bridge will reopen in May."),
        ("DUNMERE, Korvalia, March 14 - The Tesselin Dam gave way.", "The Tesselin Dam gave way."),
        ("KORVALA, March 19 - The bank cut its rate.", "The bank cut its rate."),
        (
            "Last week, Philippine President Joseph Estrada said he would go.",
            "Philippine President Joseph Estrada said he would go.",
        ),
        ("On Monday night, the army left the city.", "The army left the city."),
        ("Earlier this month, prices rose sharply.", "Prices rose sharply."),
        # A place or a date is kept: only a relative time the reader cannot place goes.
        ("In Tokyo, stocks fell sharply.", "In Tokyo, stocks fell sharply."),
        ("On Oct. 16, police arrested him.", "On Oct. 16, police arrested him."),
        (
            "The bridge was closed on Tuesday after inspectors found cracks.",
            "The bridge was closed after inspectors found cracks.",
        ),
        ("The rebels attacked late Sunday night, killing 12.", "The rebels attacked, killing 12."),
        ("Scientists on Monday announced a discovery.", "Scientists announced a discovery."),
        # A weekday that a preposition, a date, a range or an inserted clause needs stays.
        ("She was hurt Saturday night, Oct. 24, in Ohio.", "She was hurt Saturday night, Oct. 24, in Ohio."),
        ("A request, made Friday, has been passed on.", "A request, made Friday, has been passed on."),
        ("Christians marked Good Friday.", "Christians marked Good Friday."),
        ("He must leave by Tuesday, officials warned.", "He must leave by Tuesday, officials warned."),
        ("The talks ran from Monday to Friday.", "The talks ran from Monday to Friday."),
        ("A deal was signed on Monday, Oct. 5, in Paris.", "A deal was signed on Monday, Oct. 5, in Paris."),
        ("It was the first Sunday of the month.", "It was the first Sunday of the month."),
        ("Thursday's launch was halted.", "Thursday's launch was halted."),
        # DUC-style quotes open with two backquotes; a quote keeps its speaker.
        ("``We are ready,'' the minister said.", "``We are ready,'' the minister said."),
    ],
)
def test_compression_only_drops_words(raw: str, expected: str) -> None:
    out = compress(raw)
    assert out == expected
    assert is_subsequence(words(out), words(raw))


def test_the_end_of_a_split_quote_needs_its_opening_sentence() -> None:
    # A multi-sentence quote is split into sentences; the closing piece alone is an orphan.
    assert opens_dangling("The siren went and then the river was in the kitchen.”")
    assert opens_dangling('Then the water came." She was rescued at dawn.')
    assert not opens_dangling("“We had perhaps ten minutes.")
    assert not opens_dangling("The mayor called it “a disaster” on Monday.")
    assert not opens_dangling('The mayor called it "a disaster" on Monday.')
    assert not opens_dangling('"The level was normal," the engineer said.')
    pieces = [
        "“We had perhaps ten minutes.",
        "The siren went and then the river was in the kitchen.”",
        "About 12,000 people have left their homes in the Aspe valley.",
    ]
    corpus = build_corpus([make_article(" ".join(pieces), id="quote")])
    kitchen = next(i for i, u in enumerate(corpus.units) if "kitchen" in u.text)
    assert corpus.units[kitchen].dangling and corpus.predecessor(kitchen) == kitchen - 1


def test_dangling_openers_and_headlines() -> None:
    assert opens_dangling("He said the talks failed.") and opens_dangling("“They left,” she said.")
    assert not opens_dangling("Helsinki said the talks failed.") and not opens_dangling("Theresa May spoke.")
    assert opens_dangling("At the time, Putin promised to help build satellites.")
    # "This follows X" points at the story's event, which the summary states first.
    assert not opens_dangling("This follows Kim's visit to Russia last September.")
    assert opens_dangling("This offer came after Kim's visit.") and opens_dangling(
        "This will be his second visit."
    )
    long_lead = (
        "Russian President Vladimir Putin will visit North Korea and Vietnam in the coming weeks, "
        "Russia's Vedomosti newspaper reported, with an official telling Reuters the dates."
    )
    assert (
        to_headline(long_lead)
        == "Russian President Vladimir Putin will visit North Korea and Vietnam in the coming weeks"
    )


def test_a_sentence_on_the_event_never_opens_the_summary() -> None:
    article = make_article(
        "This follows a week of heavy rain across the northern valleys and the coast. "
        "The Tesselin Dam gave way on Sunday and flooded three villages below it.",
        id="dam.txt",
    )
    corpus = build_corpus([article])
    assert not corpus.units[0].dangling  # "This follows ..." points at the event, not a sentence
    assert [corpus.units[i].text[:8] for i in order(corpus, [0, 1])] == ["The Tess", "This fol"]


def test_short_summary_shows_the_version_of_a_fact_that_says_most() -> None:
    lead = "Storms closed the Harbor Bridge in Portville on Tuesday morning."
    articles = [
        make_article(lead + " Drivers were told to use the old coast road.", id=f"s{n}") for n in range(4)
    ]
    articles.append(
        make_article(
            "Storms closed the Harbor Bridge in Portville on Tuesday morning, and it will reopen "
            "on March 12 after checks. Drivers were told to use the old coast road.",
            id="full",
        )
    )
    articles.append(
        make_article("Officials expect the bridge to reopen on March 12 after checks.", id="echo")
    )
    writeup = summarize(articles, SummaryConfig(summary_words=60, max_summary_sentences=3))
    assert "March 12" in writeup.summary[0].text
    assert {c.article_id for c in writeup.summary[0].citations} >= {"s0", "s1", "full"}


@pytest.mark.parametrize(
    ("weak", "fact"),
    [
        (  # a bare status line
            "The city has not confirmed when the bridge will reopen to the commuters or the ferries.",
            "Ferries will carry 40,000 commuters a day across the bay while the bridge stays shut.",
        ),
        (  # a stated wish
            "The ministry has said it hopes to build closer ties with the port operators in all areas.",
            "The port will hire 300 extra crane drivers from Easton to clear the backlog of ships.",
        ),
    ],
    ids=["status", "wish"],
)
def test_a_weak_line_yields_its_slot_to_a_concrete_fact(weak: str, fact: str) -> None:
    articles = [make_article(f"{weak} {fact}", id=f"a{n}") for n in range(3)]
    writeup = summarize(articles, SummaryConfig(summary_words=20, max_summary_sentences=1))
    assert writeup.summary[0].text == fact


def test_captions_are_not_sentences_and_spellings_meet() -> None:
    from newsfuse.sentences import stem
    from newsfuse.unit_kinds import is_caption

    assert is_caption("Vladimir Putin and Kim Jong Un during a visit to the Vostochny Cosmodrome in 2023.")
    assert not is_caption("Putin in Pyongyang said the talks went well and both sides signed.")
    assert not is_caption("Officials at the port expect the strike to end by Friday.")
    assert (
        stem("labour") == stem("labor")
        and stem("harbours") == stem("harbors")
        and stem("four") != stem("for")
    )


def test_su4_recall_by_hand() -> None:
    tokenize = str.split
    # reference "a b c": unigrams a,b,c + skip-bigrams ab, ac, bc = 6; prediction "a c" has a, c, ac.
    assert rouge.su4_recall("a c", "a b c", tokenize) == pytest.approx(3 / 6)
    assert rouge.su4_recall("x", "a b c", tokenize) == 0.0
    assert rouge.cut("one two  three four", 3) == "one two three"


def test_evaluate_runs_on_a_tiny_duc_layout(tmp_path: Path) -> None:
    from newsfuse.eval.summaries import evaluate, render

    docs, refs = tmp_path / "duc2004" / "docs" / "d1t", tmp_path / "duc2004" / "references" / "d1t"
    docs.mkdir(parents=True)
    refs.mkdir(parents=True)
    for n, text in enumerate((HARBOR, COAST, DAILY), 1):
        (docs / f"C{n}").write_text(text)
    (refs / "D1.M.100.T.A").write_text(
        "The Harbor Bridge closed after inspectors found cracks in steel cables."
    )
    result = evaluate(tmp_path, datasets=["duc2004", "multinews"], systems=["newsfuse", "lead"])
    assert result["multinews"]["skipped"]
    row = result["duc2004"]["systems"]["newsfuse"]
    assert 50 < row["rouge1_r"] <= 100 and row["rouge2_r"] > 0
    assert "newsfuse" in render(result) and "lead" in render(result)


# ---- the seeds: five messy captures of one event -------------------------------------------------

SEED_FACTS = {
    "the visit to North Korea": r"North Korea|Pyongyang",
    "the visit to Vietnam": r"Vietnam|Hanoi",
    "the first visit in 2000": r"\b2000\b",
    "the Vietnam dates": r"June 19|19(?:th)?[-–]20",
    "space and satellites": r"satellite|space",
    # The possible migrant workers from North Korea, not Russia's labour shortage.
    "North Korean labour migrants": (
        r"migrant|North Korean (?:workers|labou?r)|(?:workers|labou?rers) from North Korea"
    ),
    "the Western concern": r"concern.{0,40}West|West.{0,60}concern",
}


def seed_articles(seeds_dir: Path) -> list[Article]:
    try:
        from newsfuse.clean import clean
        from newsfuse.ingest import ingest
    except ImportError as error:  # other stages land separately
        pytest.skip(f"ingest/clean not importable yet: {error}")
    return [clean(a) for a in ingest([str(seeds_dir)]) if isinstance(a, Article)]


def test_seed_summary_is_clean_and_repeats_nothing(seeds_dir: Path) -> None:
    articles = seed_articles(seeds_dir)
    writeup = summarize(articles)
    assert len(writeup.summary) <= 5 and n_words(writeup.summary) <= SummaryConfig().summary_words
    removed = [line for a in articles for line in a.removed if len(line.split()) >= 3]
    for line in writeup.summary:
        check_grounded(line, articles)
        assert not any(r in line.text for r in removed), line.text
        assert not line.text.startswith(("In conclusion", "In summary"))
    texts = [set(words(line.text)) - {"the", "a", "to", "of", "in", "and"} for line in writeup.summary]
    for i, first in enumerate(texts):
        for second in texts[i + 1 :]:
            assert len(first & second) / min(len(first), len(second)) < 0.6  # no fact said twice
    assert re.search(SEED_FACTS["the visit to North Korea"], " ".join(line.text for line in writeup.summary))


def test_seed_summary_covers_the_key_facts(seeds_dir: Path) -> None:
    text = " ".join(line.text for line in summarize(seed_articles(seeds_dir)).summary)
    missing = [fact for fact, pattern in SEED_FACTS.items() if not re.search(pattern, text)]
    assert not missing, f"summary misses {missing}: {text}"


# ---- the example corpus: gold facts per event (examples/expected.json) ---------------------------

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def mentions(text: str, terms: list[list[str]]) -> bool:
    """The README's rule: every group has at least one of its strings (case-insensitive)."""
    lowered = text.lower()
    return all(any(t.lower() in lowered for t in group) for group in terms)


def test_example_summaries_cover_most_gold_facts() -> None:
    import json

    from newsfuse.clean import clean
    from newsfuse.ingest import ingest

    gold = json.loads((EXAMPLES / "expected.json").read_text())
    articles = {a.id: clean(a) for a in ingest([str(EXAMPLES / "corpus")]) if isinstance(a, Article)}
    for name, event in gold["events"].items():
        if len(event["articles"]) < 3:
            continue  # a singleton has no cross-outlet summary to judge
        story_articles = [articles[i] for i in event["articles"]]
        writeup = summarize(story_articles)
        text = " ".join(line.text for line in writeup.summary)
        for line in writeup.summary:
            check_grounded(line, story_articles)
        covered = [f["fact"] for f in event["facts"] if mentions(text, f["terms"])]
        # 5 sentences cannot hold every fact; measured 6, 7 and 6 of 7 (5, 7, 4 before fact coverage).
        assert len(covered) >= 5, f"{name}: {len(covered)}/{len(event['facts'])} facts in {text}"
        assert not [bad for bad in event["summary_must_not_contain"] if bad.lower() in text.lower()]


def test_case_folded_searches_agree_with_ignorecase() -> None:
    # The fast path searches lower-cased text; it must answer as re.IGNORECASE does.
    from newsfuse.unit_kinds import BACKGROUND, BOILERPLATE, STATUS, case_folded

    texts = [
        "Officials CONFIRMED the plan on Monday.",
        "He said the president was sudden.",
        "“Click here” to Subscribe — read more…",
        "The bank Hopes  to cut rates.",
        "Comments are welcome below this line.",
        "LAST MONTH the board met.",
        "He was quoted by the paper as saying no.",
        "İstanbul’s ſtatus was Confirmed",
        "Photo: Getty Images",
    ]
    answers = []
    for text in texts:
        folded = case_folded(text)
        for search in (BOILERPLATE, STATUS, BACKGROUND):
            answers.append(search.found(text, folded))
            assert answers[-1] == (search.anycase.search(text) is not None), (text, search.anycase.pattern)
    assert 0 < sum(answers) < len(answers)
    assert STATUS.found(texts[0], case_folded(texts[0])) and not STATUS.found(texts[1], case_folded(texts[1]))
    assert case_folded("“Quoted” — fine…") == "“quoted” — fine…"
    assert case_folded("İstanbul") is None and case_folded("ſtatus") is None  # cased non-ASCII: no fast path


def test_similarity_rows_on_demand_equal_the_full_matrices() -> None:
    corpus = build_corpus(story())
    rows = [0, 3, len(corpus.units) - 1, 3]
    assert np.array_equal(corpus.sim_rows(rows), corpus.sims[rows])
    assert np.array_equal(corpus.shared_rows(rows), corpus.shared[rows])
    assert np.array_equal(corpus.concept_counts, np.diag(corpus.shared))
    before = [corpus.predecessor(i) for i in range(len(corpus.units))]
    assert corpus.predecessors.tolist() == [-1 if p is None else p for p in before]


def test_fact_graph_links_only_other_articles_above_the_threshold() -> None:
    corpus = build_corpus(story())
    graph = fact_graph(corpus, 0.2)
    assert graph is not None and corpus.keywords is not None and corpus.source is not None
    sims, _ = graph
    # Dense reference: idf-weighted keyword cosine, same-article pairs and weak links removed.
    k = corpus.keywords.toarray()
    v = k * (np.log((len(k) + 1) / (k.sum(axis=0) + 1)) + 1.0)
    v /= np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
    expected = v @ v.T
    art = np.array([u.article for u in corpus.units])
    expected[(expected < 0.2) | (art[:, None] == art[None, :])] = 0.0
    assert sims.nnz > 0
    assert np.allclose(sims.toarray(), expected)


def test_fact_graph_rewrites_echo_as_one_outlet_and_status_lines_weigh_nothing() -> None:
    report = (
        "The city council voted on Monday to close the Elm Street library for repairs. "
        "Engineers found water damage in the roof of the library last month. "
        "The council said the library could reopen in the spring after the roof is replaced. "
        "A council spokesman confirmed the plans were being prepared. "
        "Residents may borrow books from the Oak Avenue branch during the closure."
    )
    rewrite = report.replace("on Monday", "this week").replace("Residents may", "Readers can")
    other = "The Elm Street library closes for roof repairs, the council decided after a vote on Monday."
    articles = [
        make_article(report, id="a.txt"),
        make_article(rewrite, id="b.txt"),
        make_article(other, id="c.txt"),
    ]
    corpus = build_corpus(articles)
    assert corpus.source is not None and corpus.source[0] == corpus.source[1] != corpus.source[2]
    graph = fact_graph(corpus, 0.2)
    assert graph is not None
    sims, weight = graph
    dense = sims.toarray()
    by_text = {(u.article, u.text): i for i, u in enumerate(corpus.units)}
    branch = by_text[(0, compress(report.split(". ")[-1]))]
    branch_copy = next(i for i, u in enumerate(corpus.units) if u.article == 1 and "Oak Avenue" in u.text)
    # Only the report and its rewrite tell the branch fact: the rewrite echoes it.
    assert dense[branch, branch_copy] > 0.2
    # Together the two copies weigh as one outlet; the independent article as one.
    assert weight[branch] == pytest.approx(0.5) and weight[branch_copy] == pytest.approx(0.5)
    status = next(i for i, u in enumerate(corpus.units) if u.article == 0 and u.status)
    assert weight[status] == 0.0
    rows, cols = np.nonzero(dense)
    assert all(corpus.units[i].article != corpus.units[j].article for i, j in zip(rows, cols, strict=True))


def test_numpy_sparse_products_give_scipys_floats_bit_for_bit() -> None:
    # Selection breaks ties on these floats: the numpy kernels must equal scipy's exactly.
    from scipy import sparse

    for articles in (story(), story()[:1]):
        corpus = build_corpus(articles)
        tfidf = corpus.tfidf.matrix()
        rng = np.random.default_rng(7)
        x, y = rng.random(tfidf.shape[1]), rng.random(tfidf.shape[0])
        assert np.array_equal(corpus.tfidf.dot(x), tfidf @ x)
        assert np.array_equal(corpus.tfidf.tdot(y), tfidf.T @ y)
        assert np.array_equal(corpus.tfidf.gram(), (tfidf @ tfidf.T).toarray())
        # The tf-idf rows as scipy makes them: the same floats in the same storage order.
        terms = corpus.terms.matrix()
        df = np.bincount(terms.indices, minlength=terms.shape[1])
        weighted = terms.multiply(np.log((terms.shape[0] + 1) / (df + 1)) + 1.0).tocsr()
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
        expected = sparse.csr_matrix(sparse.diags(1.0 / np.where(norms == 0, 1.0, norms)) @ weighted)
        assert np.array_equal(tfidf.indptr, expected.indptr)
        assert np.array_equal(tfidf.indices, expected.indices) and np.array_equal(tfidf.data, expected.data)
        center = np.asarray(expected.sum(axis=0)).ravel()
        assert np.array_equal(corpus.center, center / (np.linalg.norm(center) or 1.0))


@pytest.mark.parametrize(
    "line",
    [
        "You can add location information to your Tweets, such as your city or location, from the web.",
        "Add Jane Doe as an interest to stay up to date on the latest Jane Doe news, video and analysis.",
        "Get breaking news and personal-tech reviews delivered right to your inbox every morning.",
        "Watch part of the interview in the video above, and tune in for the full broadcast on Friday.",
    ],
)
def test_widgets_addressing_the_reader_are_not_summary_material(line: str) -> None:
    from newsfuse.unit_kinds import case_folded, eligible

    text = compress(line)
    assert not eligible(line, text, text.split(), case_folded(text))
    # The same words in reporting stay eligible.
    report = "The senator said the interest rate would stay at 5 percent until the video was released."
    assert eligible(report, report, report.split(), case_folded(report))


def test_a_piece_from_inside_a_quotation_never_stands_alone() -> None:
    text = (
        "The union rejected the offer on Tuesday after talks in Manhattan broke down. "
        "Asked whether players would give in, union director Billy Hunter said: "
        "``It is not about us blinking. "
        "We want to reach an agreement with the league owners this month. We are tired of the rhetoric.'' "
        "The league said it would answer the proposal by Friday."
    )
    corpus = build_corpus([make_article(text, id="nba.txt")])
    by_text = {u.text.split()[0] + " " + u.text.split()[1]: u for u in corpus.units}
    assert by_text["We want"].dangling and by_text["We are"].dangling
    assert not by_text["The union"].dangling and not by_text["The league"].dangling
    for budget in (12, 30, 60):
        cfg = SummaryConfig(summary_words=budget, account_words=budget)
        lines = [line.text for line in summarize([make_article(text, id="nba.txt")], cfg).account]
        for k, line in enumerate(lines):
            if line.startswith("We want"):
                assert k > 0 and lines[k - 1].startswith("Asked whether"), lines
