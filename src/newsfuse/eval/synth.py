"""Synthetic news corpora of any size with known stories and planted copies.

Built from real article texts (the shared benchmark data), so term
statistics look like news. One base text yields many distinct stories: each
story renames the base's capitalised words and shifts its numbers with a
mapping of its own, and sits at its own date: a base comes back every
len(bases) stories (about four weeks at 100 articles a day with the dev
data), inside the copy finder's 30-day window, so renamed reuses of one
text test that copies are told from look-alikes. A story has 1-6 articles: rewrites (sentences
dropped, light word edits) and, now and then, a planted near-duplicate (the
same text with a new header and footer).
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from newsfuse.models import Article

_TAG = re.compile(r"<[^>]+>")
_CAP = re.compile(r"\b[A-Z][a-z]{2,}\b")
_NUM = re.compile(r"\b\d+\b")
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
_MAX_WORDS = 700
_SYLLABLE_TEXT = "ka lo mi ren tas vo quin dar el sor bel tum ria nos vek pra lin gor"
_SYLLABLES = _SYLLABLE_TEXT.split()


@dataclass(frozen=True, slots=True)
class Corpus:
    articles: list[Article]
    stories: dict[str, str]  # article id -> gold story
    duplicates: list[tuple[str, str]]  # planted (original, copy) pairs


def base_texts(data: Path) -> list[str]:
    """English article texts from the shared data (DUC, Multi-News, MMDS)."""
    texts: list[str] = []
    for path in sorted((data / "duc2004" / "docs").glob("*/*")):
        texts.append(_TAG.sub(" ", path.read_text(encoding="utf-8", errors="replace")))
    for path in sorted((data / "duc2006" / "docs").glob("*/*")):
        raw = path.read_text(encoding="utf-8", errors="replace")
        texts.append(_TAG.sub(" ", raw.split("<TEXT>", 1)[-1]))
    multinews = data / "multinews" / "multi_news.jsonl"
    if multinews.is_file():
        for line in multinews.read_text(encoding="utf-8").splitlines():
            context = json.loads(line)["context"].replace("NEWLINE_CHAR", " ")
            texts.extend(p for p in re.split(r"Passage \d+:\n", context) if p.strip())
    mmds = data / "mmds2025" / "mds_ac_dev_final.json"
    if mmds.is_file():
        for item in json.loads(mmds.read_text(encoding="utf-8"))["articles"]:
            texts.append(" ".join(s["content"] for s in item["sentences"]))
    # Typical news length: the longest Multi-News passages run to thousands of
    # words, which would make the corpus unlike a news feed.
    cleaned = [" ".join(t.split()[:_MAX_WORDS]) for t in texts]
    return [t for t in cleaned if len(t.split()) >= 80 and not re.search(r"[\u3400-\u9fff]", t)]


def _pseudo_name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _story_text(base: str, rng: random.Random) -> str:
    names: dict[str, str] = {}
    shift = rng.randint(1, 97)

    def rename(match: re.Match[str]) -> str:
        word = match.group()
        if word not in names:
            names[word] = _pseudo_name(rng)
        return names[word]

    text = _CAP.sub(rename, base)
    return _NUM.sub(lambda m: str(int(m.group()) + shift), text)


def _rewrite(text: str, rng: random.Random) -> str:
    sentences = _SENT.split(text)
    kept = [s for i, s in enumerate(sentences) if i < 2 or rng.random() > 0.25]
    out = []
    for sentence in kept:
        tokens = sentence.split()
        out.append(" ".join(t for t in tokens if rng.random() > 0.05))
    return " ".join(out)


def _articles_of_story(
    story: str, text: str, day: date, rng: random.Random
) -> Iterator[tuple[Article, str | None]]:
    count = min(6, 1 + int(rng.expovariate(0.6)))
    first: Article | None = None
    for n in range(count):
        aid = f"{story}-{n}"
        published = day + timedelta(days=rng.randint(0, 2))
        if first is not None and rng.random() < 0.15:
            body = f"From our wire desk. {first.text} Copyright the publisher."
            article = Article(id=aid, text=body, title=first.title, published=published, key=aid)
            yield article, first.id
            continue
        body = _rewrite(text, rng)
        title = " ".join(body.split()[:10])
        article = Article(id=aid, text=body, title=title, published=published, key=aid)
        first = first or article
        yield article, None


def build(size: int, data: Path, seed: int = 13, per_day: int = 100) -> Corpus:
    """`size` articles at about `per_day` a day (a mid-size feed: a bigger
    corpus spans more days, as a longer feed does), stories from the shared
    data. Stories follow one another in time; a base text comes back every
    len(bases) stories, renamed (see the module docstring)."""
    bases = base_texts(data)
    if not bases:
        raise FileNotFoundError(f"no base texts under {data}")
    rng = random.Random(seed)
    # Shuffled: the shared data holds several reports of one event next to
    # each other (a DUC cluster); neighbours in time must be distinct events.
    rng.shuffle(bases)
    articles: list[Article] = []
    stories: dict[str, str] = {}
    duplicates: list[tuple[str, str]] = []
    stories_per_day = per_day / 2.2  # the mean story size of _articles_of_story
    k = 0
    while len(articles) < size:
        story = f"g{k}"
        base = bases[k % len(bases)]
        day = date(2020, 1, 1) + timedelta(days=int(k / stories_per_day))
        text = _story_text(base, rng)
        for article, original in _articles_of_story(story, text, day, rng):
            if len(articles) >= size:
                break
            articles.append(article)
            stories[article.id] = story
            if original:
                duplicates.append((original, article.id))
        k += 1
    return Corpus(articles, stories, duplicates)
