"""What the story view is built from: each document's id, text and per-document analysis."""

from __future__ import annotations

from dataclasses import dataclass

from qawl.types import Analysis


@dataclass(frozen=True)
class StoryInput:
    """One analysed document of the story (entities, quotes and stances requested)."""

    doc: str  # the caller's document id, unique in the story
    text: str
    analysis: Analysis
