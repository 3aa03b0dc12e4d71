"""newsfuse: many news articles in, one cited, source-compared story out."""

from newsfuse.models import (
    Article,
    Citation,
    CitedSentence,
    Claim,
    Comparison,
    CopyChain,
    Entity,
    QualityFlag,
    Quote,
    Sentence,
    Skipped,
    Story,
    TimelineEvent,
    WriteUp,
)

__all__ = [
    "Article",
    "Citation",
    "CitedSentence",
    "Claim",
    "Comparison",
    "CopyChain",
    "Entity",
    "QualityFlag",
    "Quote",
    "Sentence",
    "Skipped",
    "Story",
    "TimelineEvent",
    "WriteUp",
]
__version__ = "0.1.0"
