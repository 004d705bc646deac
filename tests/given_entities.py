"""Hand-given entities for rule tests: a retrained NER cannot move what a rule test checks."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from qawl.types import Entity, Mention


def ents(text: str, *specs: tuple[str, str]) -> list[Entity]:
    """Entities from (surface, label) pairs: every occurrence of each surface is a mention.

    Surfaces of one entity are given as "full|short" (جون كيري|كيري); the first is its name."""
    out: list[Entity] = []
    for n, (surfaces, label) in enumerate(specs, start=1):
        mentions: list[Mention] = []
        for surface in surfaces.split("|"):
            start = text.find(surface)
            while start >= 0:
                end = start + len(surface)
                if not any(m.start < end and start < m.end for m in mentions):
                    mentions.append(Mention(start=start, end=end, text=surface))
                start = text.find(surface, end)
        mentions.sort(key=lambda m: m.start)
        out.append(Entity(id=f"E{n}", label=label, name=surfaces.split("|")[0], mentions=mentions))  # type: ignore[arg-type]
    return out


def rule_doc(nlp: Language, text: str, *specs: tuple[str, str], targets: list[str] | None = None) -> Doc:
    """The rule components alone (segmenter, quotes, stance) on ``text`` with the given entities."""
    doc = nlp.make_doc(text)
    doc._.entities = ents(text, *specs)
    doc = nlp.get_pipe("qawl_segmenter")(doc)
    doc = nlp.get_pipe("qawl_quotes")(doc)
    return nlp.get_pipe("qawl_stance")(doc, targets=targets)  # type: ignore[call-arg]


def ner_doc(nlp: Language, text: str, *spans: tuple[str, int, str]) -> Doc:
    """``qawl_entities`` on ``text`` with the NER's spans given: (first word, number of tokens, label)
    each (a word that occurs twice means its last occurrence), so a retrained model cannot move what
    the test checks."""
    doc = nlp.make_doc(text)
    at = {t.text: t.i for t in doc}
    doc.ents = [Span(doc, at[first], at[first] + n, label=label) for first, n, label in spans]
    return nlp.get_pipe("qawl_entities")(doc)
