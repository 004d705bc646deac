"""The story view of several analysed documents: entities, statements and stances merged across them.

Pure functions over the per-document analyses and texts; the route (api/routes.py) runs the
pipeline and hands the documents that succeeded here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qawl.types import StoryEntity, StoryStance, StoryStatement

from .entities import merge_entities
from .source import StoryInput
from .stances import merge_stances
from .statements import merge_statements


@dataclass
class Story:
    entities: list[StoryEntity]
    statements: list[StoryStatement]
    stances: list[StoryStance]


def build_story(docs: Sequence[StoryInput]) -> Story:
    """Merge the analyses of ``docs`` (ids unique): every span of the result slices its own document."""
    merged = merge_entities(docs)
    return Story(
        entities=merged.entities,
        statements=merge_statements(docs, merged),
        stances=merge_stances(docs, merged),
    )
