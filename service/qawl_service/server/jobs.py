"""An analysis job: what a route asks of the pipeline, in a form that crosses a process boundary.

Every route reduces to one: ``/entities``, ``/quotes``, ``/stance`` and ``/analyze`` are one text with
their features; ``/batch`` is many texts with per-document isolation. The job runs wherever the
pipeline lives (the analysis process, or a thread when an app is given its analyzer).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import msgspec

from qawl.types import Analysis, Feature

if TYPE_CHECKING:
    from ..analyzer import Analyzer

log = logging.getLogger("qawl.analysis")


class Job(msgspec.Struct, frozen=True):
    texts: list[str]
    features: list[Feature]
    ids: list[str | None]
    targets: list[str] | None = None
    batch: bool = False  # nlp.pipe over the texts, a failing document isolated (its result None)


def run_job(analyzer: Analyzer, job: Job) -> list[Analysis | None]:
    """One result per text, in order. A single-text job raises what the pipeline raises (the
    request fails); a batch never does: a document that fails alone gets None."""
    if not job.batch:
        pairs = zip(job.texts, job.ids, strict=True)
        return [analyzer.analyze(text, job.features, i, job.targets) for text, i in pairs]
    try:
        return list(analyzer.analyze_many(job.texts, job.features, job.ids, job.targets))
    except Exception:
        log.exception("batch analysis failed; isolating documents")
    out: list[Analysis | None] = []
    for text, doc_id in zip(job.texts, job.ids, strict=True):
        try:
            out.append(analyzer.analyze(text, job.features, doc_id, job.targets))
        except Exception:
            log.exception("document %r failed", doc_id)
            out.append(None)
    return out
