"""HTML pages: view models built from stories and articles, rendered with Jinja2.

Article text is hostile input. Every template is rendered with autoescaping
on, URLs reach an `href` only when they are http(s), and absurdly long
titles or sentences are shortened for display so one bad article cannot make
a page unusable. The view models are plain frozen dataclasses so the same
data drives the served pages and the standalone page of `newsfuse show
--format html`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from urllib.parse import quote, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from newsfuse.models import Article, Citation, CitedSentence, Claim, QualityFlag, Story
from newsfuse.text import split_sentences

# Display limits: long enough for any real headline or sentence, short enough
# that a hostile 1 MB title cannot swamp a page.
TITLE_CHARS = 300
SENTENCE_CHARS = 2_000
EVIDENCE_CHARS = 300
# Article pages show at most this much text; the API has the rest.
ARTICLE_CHARS = 200_000


def shorten(text: str | None, limit: int) -> str:
    """`text` cut to `limit` characters (with an ellipsis), whitespace collapsed."""
    if not text:
        return ""
    text = " ".join(text[: limit * 2].split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def safe_url(url: str | None) -> str | None:
    """The URL when it is http(s) and may go in an href; None otherwise
    (`javascript:`, `data:` and relative tricks are shown as text only)."""
    if not url or len(url) > 4_000:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def article_href(article_id: str) -> str:
    return "/articles/" + quote(article_id, safe="")


def make_env() -> Environment:
    """A Jinja2 environment over the package templates, autoescaping everything."""
    env = Environment(
        loader=PackageLoader("newsfuse.web", "templates"),
        autoescape=True,  # on for every template, .xml and .html alike
        undefined=StrictUndefined,
    )
    env.filters["article_href"] = article_href
    env.filters["safe_url"] = safe_url
    env.filters["shorten"] = shorten
    return env


def static_text(name: str) -> str:
    """A file of web/static as text (the standalone page inlines the CSS)."""
    return resources.files("newsfuse.web").joinpath("static", name).read_text(encoding="utf-8")


# -- view models ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SourceSentence:
    """One source sentence that supports a write-up sentence."""

    number: int  # the article's number in the story's sources list
    article_id: str
    outlet: str
    index: int
    text: str


@dataclass(frozen=True, slots=True)
class SentenceView:
    anchor: str
    text: str
    numbers: tuple[int, ...]
    sources: tuple[SourceSentence, ...]

    @property
    def outlets(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.outlet for s in self.sources))


@dataclass(frozen=True, slots=True)
class SourceView:
    number: int
    article_id: str
    outlet: str
    title: str
    url: str | None  # safe for an href, or None
    published: str
    flags: tuple[QualityFlag, ...]
    copy_of: int | None  # number of the original when this article copies another
    stored: bool


@dataclass(frozen=True, slots=True)
class ChainView:
    kind: str
    similarity: float
    original: SourceView
    copies: tuple[SourceView, ...]


@dataclass(frozen=True, slots=True)
class ClaimRow:
    label: str
    value: str
    kind: str
    cells: tuple[str, ...]  # per outlet: "asserts", "contradicts", "silent" or ""


@dataclass(frozen=True, slots=True)
class StoryView:
    story: Story
    headline: str
    dates: str
    summary: tuple[SentenceView, ...]
    account: tuple[SentenceView, ...]
    sources: tuple[SourceView, ...]
    chains: tuple[ChainView, ...]
    outlets: tuple[str, ...]
    claim_outlets: tuple[str, ...]
    claims: tuple[ClaimRow, ...]

    @property
    def comparison(self) -> object:
        return self.story.comparison


def date_range(first: date | None, last: date | None) -> str:
    if not first and not last:
        return "undated"
    if first == last or not first or not last:
        return (first or last or date.min).isoformat()
    return f"{first.isoformat()} – {last.isoformat()}"


def source_sentence_text(citation: Citation, article: Article | None) -> str:
    """The cited sentence as stored in the article (offsets first, then the
    sentence index), falling back to the text carried by the citation."""
    sentence = citation.sentence
    if article is not None:
        text = article.text
        if 0 <= sentence.start < sentence.end <= len(text):
            found = text[sentence.start : sentence.end]
            if not sentence.text or found.strip() == sentence.text.strip():
                return found
        sentences = split_sentences(article)
        if 0 <= sentence.index < len(sentences):
            return sentences[sentence.index].text
    return sentence.text


def _numbers(story: Story) -> dict[str, int]:
    return {article_id: n for n, article_id in enumerate(story.article_ids, start=1)}


def _outlet(article_id: str, articles: Mapping[str, Article]) -> str:
    article = articles.get(article_id)
    return shorten(article.outlet if article and article.outlet else article_id, 120)


def _sentence_view(
    anchor: str, sentence: CitedSentence, numbers: Mapping[str, int], articles: Mapping[str, Article]
) -> SentenceView:
    sources = []
    seen: set[tuple[str, int]] = set()
    for citation in sentence.citations:
        key = (citation.article_id, citation.sentence.index)
        if key in seen:
            continue
        seen.add(key)
        article = articles.get(citation.article_id)
        sources.append(
            SourceSentence(
                number=numbers.get(citation.article_id, 0),
                article_id=citation.article_id,
                outlet=_outlet(citation.article_id, articles),
                index=citation.sentence.index,
                text=shorten(source_sentence_text(citation, article), SENTENCE_CHARS),
            )
        )
    cited = tuple(sorted({s.number for s in sources if s.number}))
    return SentenceView(anchor, shorten(sentence.text, SENTENCE_CHARS), cited, tuple(sources))


def _source_views(story: Story, articles: Mapping[str, Article]) -> tuple[SourceView, ...]:
    numbers = _numbers(story)
    original_of = {copy: chain.original for chain in story.chains for copy in chain.copies}
    views = []
    for article_id, number in numbers.items():
        article = articles.get(article_id)
        original = original_of.get(article_id)
        views.append(
            SourceView(
                number=number,
                article_id=article_id,
                outlet=_outlet(article_id, articles),
                title=shorten(article.title if article else None, TITLE_CHARS) or article_id,
                url=safe_url(article.url) if article else None,
                published=article.published.isoformat() if article and article.published else "undated",
                flags=article.flags if article else (),
                copy_of=numbers.get(original) if original else None,
                stored=article is not None,
            )
        )
    return tuple(views)


def _chain_views(story: Story, sources: Sequence[SourceView]) -> tuple[ChainView, ...]:
    by_id = {s.article_id: s for s in sources}
    chains = []
    for chain in story.chains:
        if chain.original not in by_id:
            continue
        copies = tuple(by_id[c] for c in chain.copies if c in by_id)
        chains.append(ChainView(chain.kind, chain.similarity, by_id[chain.original], copies))
    return tuple(chains)


def _claim_cell(claim: Claim, outlet: str) -> str:
    if outlet in claim.contradicted_by:
        return "contradicts"
    if outlet in claim.asserted_by:
        return "asserts"
    if outlet in claim.silent:
        return "silent"
    return ""


def _claim_rows(claims: Sequence[Claim], outlets: Sequence[str]) -> tuple[ClaimRow, ...]:
    return tuple(
        ClaimRow(
            label=shorten(f"{claim.subject} {claim.relation}", TITLE_CHARS),
            value=shorten(claim.surface or claim.value, TITLE_CHARS),
            kind=claim.kind,
            cells=tuple(_claim_cell(claim, o) for o in outlets),
        )
        for claim in claims
    )


def story_view(story: Story, articles: Sequence[Article]) -> StoryView:
    """Everything the story page shows, looked up and shortened for display."""
    by_id = {a.id: a for a in articles}
    numbers = _numbers(story)
    sources = _source_views(story, by_id)
    comparison = story.comparison
    claim_outlets = comparison.outlets or tuple(
        dict.fromkeys(o for c in comparison.claims for o in (*c.asserted_by, *c.contradicted_by, *c.silent))
    )
    return StoryView(
        story=story,
        headline=shorten(story.headline, TITLE_CHARS) or "Untitled story",
        dates=date_range(story.first_published, story.last_published),
        summary=tuple(
            _sentence_view(f"sum-{i}", s, numbers, by_id) for i, s in enumerate(story.writeup.summary)
        ),
        account=tuple(
            _sentence_view(f"acc-{i}", s, numbers, by_id) for i, s in enumerate(story.writeup.account)
        ),
        sources=sources,
        chains=_chain_views(story, sources),
        outlets=tuple(shorten(o, 120) for o in story.outlets),
        claim_outlets=tuple(shorten(o, 60) for o in claim_outlets),
        claims=_claim_rows(comparison.claims, claim_outlets),
    )


def evidence_numbers(citations: Sequence[Citation], story: Story) -> tuple[int, ...]:
    numbers = _numbers(story)
    return tuple(sorted({numbers[c.article_id] for c in citations if c.article_id in numbers}))


@dataclass(frozen=True, slots=True)
class Paragraph:
    sentences: tuple[tuple[int, str], ...]  # (sentence index, text)


@dataclass(frozen=True, slots=True)
class ArticleView:
    article: Article
    title: str
    url: str | None
    published: str
    paragraphs: tuple[Paragraph, ...]
    truncated: bool
    story_id: str | None


def _paragraphs(article: Article) -> tuple[tuple[Paragraph, ...], bool]:
    """Sentences grouped into the article's paragraphs (a line break between
    two sentences starts a new one), each keeping its index for #s-N links."""
    paragraphs: list[list[tuple[int, str]]] = [[]]
    previous_end = 0
    shown = 0
    for sentence in split_sentences(article):
        if shown >= ARTICLE_CHARS:
            return tuple(Paragraph(tuple(p)) for p in paragraphs if p), True
        if "\n" in article.text[previous_end : sentence.start] and paragraphs[-1]:
            paragraphs.append([])
        paragraphs[-1].append((sentence.index, sentence.text[: SENTENCE_CHARS * 50]))
        shown += len(sentence.text)
        previous_end = sentence.end
    return tuple(Paragraph(tuple(p)) for p in paragraphs if p), False


def article_view(article: Article, story_id: str | None) -> ArticleView:
    paragraphs, truncated = _paragraphs(article)
    return ArticleView(
        article=article,
        title=shorten(article.title, TITLE_CHARS) or shorten(article.id, TITLE_CHARS),
        url=safe_url(article.url),
        published=article.published.isoformat() if article.published else "undated",
        paragraphs=paragraphs,
        truncated=truncated,
        story_id=story_id,
    )


def story_page_html(story: Story, articles: Sequence[Article], env: Environment | None = None) -> str:
    """A complete standalone HTML page of the story (CSS inlined, no script,
    no links into a server): what `newsfuse show --format html` prints."""
    env = env or make_env()
    return env.get_template("story.html").render(
        view=story_view(story, articles),
        standalone=True,
        # Our own stylesheet, trusted: autoescaping would break CSS selectors like ">".
        inline_css=Markup(static_text("style.css")),
        evidence_numbers=evidence_numbers,
    )
