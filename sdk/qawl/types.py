"""The Qawl wire contract: every request and response body, defined once.

The service imports these Structs to decode requests and encode responses, so the
SDK and the server cannot drift apart. Offsets are Unicode code points into the
exact submitted text: ``text[m.start:m.end] == m.text`` for every ``Mention``.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

__all__ = [
    "Actor",
    "Analysis",
    "AnalyzeRequest",
    "BatchDocument",
    "BatchItem",
    "BatchRequest",
    "BatchResponse",
    "DocumentRequest",
    "EntitiesRequest",
    "EntitiesResponse",
    "Entity",
    "Feature",
    "Health",
    "Info",
    "Label",
    "Limits",
    "Mention",
    "ModelInfo",
    "Problem",
    "Quote",
    "QuoteKind",
    "QuotesRequest",
    "QuotesResponse",
    "Resolution",
    "Speaker",
    "Stance",
    "StanceLabel",
    "StanceRequest",
    "StanceResponse",
    "StoryActor",
    "StoryDocument",
    "StoryDocumentStatus",
    "StoryEntity",
    "StoryRequest",
    "StoryResponse",
    "StorySource",
    "StorySpan",
    "StoryStance",
    "StoryStatement",
    "StoryTarget",
    "Target",
]

Label = Literal["PER", "ORG", "LOC", "MISC"]
"""Entity types: person, organization, location (countries, cities, regions, sites), other names."""

Feature = Literal["entities", "quotes", "stance"]
"""Analyses that ``/v1/analyze`` can run; each requested feature adds one key to the result."""

FEATURES: tuple[Feature, ...] = ("entities", "quotes", "stance")

QuoteKind = Literal["direct", "indirect", "mixed"]
"""direct: the words inside quote marks; indirect: a reported clause (قال إن ...); mixed: both."""

StanceLabel = Literal["favor", "against"]

Resolution = Literal["explicit", "anaphoric", "nominal"]
"""How a speaker was found: named in the sentence, carried over from earlier (واضاف), or a description."""

DocId = Annotated[str, msgspec.Meta(max_length=256, description="Caller's document id, echoed back.")]


class Mention(msgspec.Struct, frozen=True, kw_only=True):
    """A span of the submitted text; ``text == submitted[start:end]`` in code points."""

    start: Annotated[int, msgspec.Meta(ge=0)]
    end: Annotated[int, msgspec.Meta(ge=0)]
    text: str


class Entity(msgspec.Struct, kw_only=True):
    """One real-world entity of the document with all its mentions, in text order."""

    id: str
    label: Label
    name: str
    mentions: list[Mention]


class Speaker(msgspec.Struct, kw_only=True):
    """Who said it (also the holder of a stance): the best name for them in the whole document."""

    name: str
    entity_id: str | None = None
    mention: Mention | None = None  # the speaker's words in the quote's own sentence; null when implicit
    resolution: Resolution = "explicit"


class Quote(msgspec.Struct, kw_only=True):
    id: str
    kind: QuoteKind
    content: Mention  # what was said: inside the marks for a direct quote, the reported clause otherwise
    cue: Mention | None  # the reporting word (قال، أكد، بحسب ...)
    speaker: Speaker | None
    confidence: Annotated[float, msgspec.Meta(ge=0.0, le=1.0)]


Actor = Speaker
"""A stance holder has the same shape as a quote's speaker: one type."""

TargetText = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class Target(msgspec.Struct, kw_only=True):
    """What a stance is about: a short phrase or an entity. With requested targets, ``text`` is the
    requested string and ``mention`` where it was found."""

    text: str
    entity_id: str | None = None
    mention: Mention | None = None


class Stance(msgspec.Struct, kw_only=True):
    holder: Speaker
    target: Target
    label: StanceLabel
    evidence: Mention  # the words that carry the stance
    cue: Mention | None  # the stance word (ندد، رحب، دعا إلى ...)
    quote_id: str | None  # the quote the stance was expressed in, if any
    confidence: Annotated[float, msgspec.Meta(ge=0.0, le=1.0)]


class DocumentRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One text to analyze; ``id`` is yours, echoed back."""

    text: str
    id: DocId | None = None


EntitiesRequest = DocumentRequest
QuotesRequest = DocumentRequest


class AnalyzeRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    text: str
    id: DocId | None = None
    features: list[Feature] = msgspec.field(default_factory=lambda: ["entities"])
    targets: Annotated[list[TargetText], msgspec.Meta(max_length=50)] | None = None  # for "stance"


class StanceRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    text: str
    id: DocId | None = None
    targets: Annotated[list[TargetText], msgspec.Meta(max_length=50)] | None = None


class EntitiesResponse(msgspec.Struct, kw_only=True):
    id: str | None
    model: str
    entities: list[Entity]


class QuotesResponse(msgspec.Struct, kw_only=True):
    id: str | None
    model: str
    entities: list[Entity]
    quotes: list[Quote]


class StanceResponse(msgspec.Struct, kw_only=True):
    id: str | None
    model: str
    entities: list[Entity]
    quotes: list[Quote]
    stances: list[Stance]


class Analysis(msgspec.Struct, kw_only=True, omit_defaults=True):
    """Result of ``/v1/analyze``: one key per requested feature, absent keys were not requested."""

    id: str | None
    model: str
    entities: list[Entity] | msgspec.UnsetType = msgspec.UNSET
    quotes: list[Quote] | msgspec.UnsetType = msgspec.UNSET
    stances: list[Stance] | msgspec.UnsetType = msgspec.UNSET


class BatchDocument(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    text: str
    id: DocId | None = None


class BatchRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Up to ``max_batch_docs`` documents (see ``/v1/info``), analyzed with the same features."""

    documents: list[BatchDocument]
    features: list[Feature] = msgspec.field(default_factory=lambda: ["entities"])
    targets: Annotated[list[TargetText], msgspec.Meta(max_length=50)] | None = None  # for "stance"


class BatchItem(msgspec.Struct, kw_only=True):
    """One per input document, in input order: ``result`` when ``ok``, else ``error``."""

    id: str | None
    ok: bool
    result: Analysis | None = None
    error: Problem | None = None


class BatchResponse(msgspec.Struct, kw_only=True):
    model: str
    results: list[BatchItem]


# ---------------------------------------------------------------------------- the story view
StoryDocId = Annotated[
    str, msgspec.Meta(min_length=1, max_length=256, description="Caller's document id: required, unique.")
]


class StoryDocument(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One article of a story; ``id`` is required, non-empty and unique within the request (every
    offset of the response names its document by it)."""

    id: StoryDocId
    text: str


class StoryRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Several articles about one event, merged into one view; the ``/v1/batch`` limits apply."""

    documents: list[StoryDocument]
    targets: Annotated[list[TargetText], msgspec.Meta(max_length=50)] | None = None  # stance targets


class StoryDocumentStatus(msgspec.Struct, kw_only=True):
    """One per input document, in input order: ``ok``, or ``error`` (the problem, as in ``/v1/batch``);
    a failed document contributes nothing to the merge."""

    id: str
    ok: bool
    error: Problem | None = None


class StorySpan(msgspec.Struct, frozen=True, kw_only=True):
    """A span of one document of the story: ``documents[doc].text[start:end] == text`` (code points)."""

    doc: str
    start: Annotated[int, msgspec.Meta(ge=0)]
    end: Annotated[int, msgspec.Meta(ge=0)]
    text: str


class StoryEntity(msgspec.Struct, kw_only=True):
    """One real-world entity across the story's documents: every mention in every document.
    ``variants`` are the distinct ways the outlets write its name (ستافان/ستيفان دي ميستورا)."""

    id: str
    label: Label
    name: str
    variants: list[str]
    mentions: list[StorySpan]


class StoryActor(msgspec.Struct, kw_only=True):
    """A statement's speaker or a stance's holder; ``entity_id`` is a story entity id (``S-E…``)."""

    name: str
    entity_id: str | None = None


class StorySource(msgspec.Struct, frozen=True, kw_only=True):
    """One outlet's report of a statement: the quote (``quote_id`` of that document's analysis) and its
    content span."""

    doc: str
    quote_id: str
    kind: QuoteKind
    start: Annotated[int, msgspec.Meta(ge=0)]
    end: Annotated[int, msgspec.Meta(ge=0)]
    text: str


class StoryStatement(msgspec.Struct, kw_only=True):
    """What one speaker said, however many outlets reported it and in whatever words: ``summary`` is
    the fullest wording, ``sources`` every report of it."""

    id: str
    speaker: StoryActor | None
    summary: str
    sources: list[StorySource]


class StoryTarget(msgspec.Struct, kw_only=True):
    text: str
    entity_id: str | None = None


class StoryStance(msgspec.Struct, kw_only=True):
    """One (holder, target, label) across the story; ``sources`` are the evidence spans of each report."""

    holder: StoryActor
    target: StoryTarget
    label: StanceLabel
    sources: list[StorySpan]


class StoryResponse(msgspec.Struct, kw_only=True):
    """Entities ordered by documents then mentions; statements and stances by number of sources."""

    model: str
    documents: list[StoryDocumentStatus]
    entities: list[StoryEntity]
    statements: list[StoryStatement]
    stances: list[StoryStance]


class ModelInfo(msgspec.Struct, kw_only=True):
    name: str
    version: str
    lang: str
    pipeline: list[str]
    labels: list[str]
    training_data: list[str]
    scores: dict[str, float]
    sources: list[str] = msgspec.field(default_factory=list)


class Limits(msgspec.Struct, kw_only=True):
    max_text_chars: int
    max_body_bytes: int
    max_batch_docs: int


class Info(msgspec.Struct, kw_only=True):
    service: str
    version: str
    features: list[str]
    model: ModelInfo
    limits: Limits


class Health(msgspec.Struct, kw_only=True):
    status: str


class Problem(msgspec.Struct, kw_only=True, omit_defaults=True):
    """RFC 9457 problem details; ``field`` names the offending request field when there is one."""

    status: int
    title: str
    type: str = "about:blank"
    detail: str | None = None
    instance: str | None = None
    field: str | None = None
