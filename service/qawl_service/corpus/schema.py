"""The stored QNC record: ids, code-point offsets and short heads, never the article text.

``head`` is the first ``HEAD`` code points of the span (the whole span when shorter): it catches
drift if the source text ever changes. Names (entities, speakers, holders) are stored as written;
they are a few words each.
"""

from __future__ import annotations

from typing import Literal

import msgspec

HEAD = 20
LABELS = ("PER", "ORG", "LOC", "MISC")
KINDS = ("direct", "indirect", "mixed")
POLARITIES = ("favor", "against")
SPLITS = ("train", "dev", "test")

Label = Literal["PER", "ORG", "LOC", "MISC"]
Kind = Literal["direct", "indirect", "mixed"]
Polarity = Literal["favor", "against"]
Split = Literal["train", "dev", "test"]


class Span(msgspec.Struct, frozen=True):
    start: int
    end: int
    head: str


class Name(msgspec.Struct, frozen=True):
    start: int
    end: int
    text: str


class Mention(msgspec.Struct, frozen=True):
    start: int
    end: int
    text: str
    label: Label


class Quote(msgspec.Struct, frozen=True):
    content: Span
    kind: Kind
    cue: Name | None
    speaker: Name
    aliases: list[Name] = []
    implicit: bool = False


class Stance(msgspec.Struct, frozen=True):
    holder: Name
    target: Span
    label: Polarity
    evidence: Span


class Record(msgspec.Struct):
    id: str
    source: Literal["ant", "synthetic"]
    split: Split
    entities: list[Mention]
    quotes: list[Quote]
    stances: list[Stance]
    passes: list[str] = []  # how the record was made: "pass1:<annotator>", "review:<annotator>"


def head(text: str, start: int, end: int) -> str:
    return text[start : min(end, start + HEAD)]


encoder = msgspec.json.Encoder()
decoder = msgspec.json.Decoder(Record)
