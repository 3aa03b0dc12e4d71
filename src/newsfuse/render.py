"""Plain-text and Markdown renderings of a story (`newsfuse show`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from newsfuse.compare import comparison_to_markdown
from newsfuse.models import Article, CitedSentence, Story


def _marks(sentence: CitedSentence, numbers: Mapping[str, int]) -> str:
    cited = dict.fromkeys(numbers[c.article_id] for c in sentence.citations if c.article_id in numbers)
    return "".join(f"[{n}]" for n in cited)


def _source_numbers(story: Story) -> dict[str, int]:
    return {article_id: n for n, article_id in enumerate(story.article_ids, start=1)}


def _source_line(number: int, article_id: str, articles: Mapping[str, Article]) -> str:
    article = articles.get(article_id)
    if article is None:
        return f"[{number}] {article_id}"
    when = article.published.isoformat() if article.published else "undated"
    outlet = article.outlet or "unknown outlet"
    return f"[{number}] {outlet}, {when}: {article.title or article_id} ({article_id})"


def story_text(story: Story, articles: Sequence[Article] = ()) -> str:
    """The story for a terminal: headline, summary, account with [n] marks, sources."""
    numbers = _source_numbers(story)
    by_id = {a.id: a for a in articles}
    lines = [story.headline, "=" * min(len(story.headline), 78), ""]
    lines.append(
        f"{len(story.article_ids)} articles, {len(story.outlets)} outlets, "
        f"{story.independent_sources} independent sources"
    )
    lines += ["", "In summary:"]
    lines += [f"  - {s.text} {_marks(s, numbers)}" for s in story.writeup.summary]
    lines += ["", "Full account:"]
    lines += [f"  {s.text} {_marks(s, numbers)}" for s in story.writeup.account]
    lines += ["", "Sources:"]
    lines += ["  " + _source_line(n, a, by_id) for a, n in numbers.items()]
    for chain in story.chains:
        lines.append(f"  copy chain ({chain.kind}): {chain.original} <- {', '.join(chain.copies)}")
    return "\n".join(lines)


def _md_escape(text: str) -> str:
    # Article text is hostile: neutralise Markdown/HTML control characters.
    for char in "\\`*_{}[]<>()#+!|":
        text = text.replace(char, "\\" + char)
    return text


def story_markdown(story: Story, articles: Sequence[Article] = ()) -> str:
    """The story as Markdown, with the comparison sections when present."""
    numbers = _source_numbers(story)
    by_id = {a.id: a for a in articles}
    parts = [f"# {_md_escape(story.headline)}", ""]
    parts.append(
        f"*{len(story.article_ids)} articles · {len(story.outlets)} outlets · "
        f"{story.independent_sources} independent sources*"
    )
    parts += ["", "## In summary", ""]
    parts += [f"- {_md_escape(s.text)} {_marks(s, numbers)}" for s in story.writeup.summary]
    parts += ["", "## Full account", ""]
    parts.append(" ".join(f"{_md_escape(s.text)} {_marks(s, numbers)}" for s in story.writeup.account))
    parts += ["", "## Sources", ""]
    parts += [f"- {_md_escape(_source_line(n, a, by_id))}" for a, n in numbers.items()]
    for chain in story.chains:
        parts.append(f"- copy chain ({chain.kind}): {chain.original} ← {', '.join(chain.copies)}")
    comparison = comparison_to_markdown(story.comparison)
    if comparison:
        parts += ["", comparison]
    return "\n".join(parts) + "\n"
