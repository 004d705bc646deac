"""Training data of the learned quote roles (``qawl_quote_roles``, docs/quotes.md, issue 19).

    .venv/bin/python training/prepare_quote_roles.py [--shared ../shared] [--out training/quote_roles]

Each Qawl News Corpus article becomes a Doc whose ``doc.spans["quote_roles"]`` are its quote roles,
also written as the tokens' B-/I- tags the tagger learns (``token.tag_``, O outside): the first token
of each content span labelled by the quote's kind (DIRECT / INDIRECT / MIXED), the cue (CUE) and,
when the speaker is named in the quote's own clause (``implicit`` false), the speaker phrase
(SPEAKER). Where roles overlap the content start wins, then the cue. Writes train/dev/test .spacy
and report.json with the counts.

Only the start of a content span is learned: a model over a window of four tokens each side rarely
carries a span over dozens of tokens (a first run that learned whole spans recalled 21 % of dev's
indirect contents), while the end of a reported clause is what the rules find well (the sentence
end, a new cue, the closing mark).
"""

from __future__ import annotations

import argparse
import json
import os
from collections import Counter
from pathlib import Path

from spacy.tokens import Doc, Span

from qawl_service.corpus.docs import to_doc, write_docbins
from qawl_service.corpus.load import Article
from qawl_service.nlp.language import blank_pipeline
from qawl_service.nlp.quote_roles import KEY, encode


def roles(doc_spans: dict[str, list[Span]], implicit: list[bool], stats: Counter[str]) -> list[Span]:
    taken: set[int] = set()
    kept: list[Span] = []
    order = [(s[:1], s.label_.upper()) for s in doc_spans["quotes"]]
    order += [(s, "CUE") for s in doc_spans["cues"]]
    order += [(s, "SPEAKER") for s in doc_spans["speakers"] if not implicit[int(s.label_)]]
    for span, label in order:
        if taken.intersection(range(span.start, span.end)):
            stats[f"{label} overlapping"] += 1
            continue
        taken.update(range(span.start, span.end))
        kept.append(Span(span.doc, span.start, span.end, label=label))
        stats[label] += 1
    return sorted(kept, key=lambda s: s.start)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=Path("training/quote_roles"))
    ap.add_argument("--shared", type=Path, default=None)
    args = ap.parse_args()
    if args.shared is not None:
        os.environ["QAWL_SHARED"] = str(args.shared)
    nlp = blank_pipeline()

    def convert(article: Article, stats: Counter[str]) -> Doc:
        doc = to_doc(nlp, article, stats)
        implicit = [q.implicit for q in article.record.quotes]
        spans = {k: list(doc.spans[k]) for k in ("quotes", "cues", "speakers")}
        doc.spans.clear()
        doc.ents = []
        found = roles(spans, implicit, stats)
        doc.spans[KEY] = found
        for token, tag in zip(doc, encode(doc, found), strict=True):
            token.tag_ = tag
        return doc

    print(json.dumps(write_docbins(args.out, convert), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
