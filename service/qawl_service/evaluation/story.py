"""Evaluate the story view (``POST /v1/story``) on the seed story gold.

    python -m qawl_service.evaluation.story [--gold tests/data/story/seeds_story.json] [--json] [--errors]

The documents of the gold file run through the pipeline as the route runs them (``analyze_many``
with entities, quotes and stance) and :func:`~qawl_service.story.build_story` merges them. Gold
format and annotation choices: tests/data/story/README.md.

Scores (the merge, not the per-document analysis: a merge is judged on what the pipeline found):

- Entities: an *occurrence* is a story entity in one document standing for a gold entity of the
  same label, listed in that document, one of whose variants its mentions there spell (text
  normalized as ANNOTATION.md scores it; a story entity spelling two gold entities in a document
  gives two occurrences). Pairwise P/R over pairs of occurrences (a pair within one story entity is
  right when both stand for one gold entity; a gold pair of documents is found when one story
  entity holds both) and B-cubed P/R over the occurrences; ``coverage`` is the share of gold
  (entity, document) occurrences the pipeline found at all.
- Statements: a story source stands for the gold source of its document whose span it overlaps by
  at least half of the gold span (one to one). Pairwise P/R over pairs of sources, as for entities.
- Stances: a story stance source stands for a gold stance source of its document when the evidence
  spans overlap, the labels agree, the holder names match (containment after normalization, the
  gold entity's variants as aliases) and at least half of the gold target's words are in the story
  target (ANNOTATION.md's stance scoring). Pairwise P/R over pairs of sources, and stance P/R: a
  story stance is right when it stands for a gold stance in at least one document (one to one).
- ``done_when``: the checks of issue 22 on the seeds (one entity for each named actor, no entity
  merging two people, Kerry's statements with several outlets, Kerry's and Russia's stances with
  evidence from more than one outlet).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations
from pathlib import Path
from typing import Any

from qawl.types import Analysis, Feature
from qawl_service.evaluation.gold import ROOT
from qawl_service.story import Story, StoryInput, build_story
from qawl_service.story.names import fold

GOLD = ROOT / "tests" / "data" / "story" / "seeds_story.json"
FEATURES: list[Feature] = ["entities", "quotes", "stance"]
DONE_WHEN_ACTORS = (
    ("PER", "جون كيري", 5),
    ("PER", "ستيفان دي ميستورا", 5),
    ("PER", "عادل الجبير", 0),
    ("PER", "جون كيربي", 0),
    ("LOC", "روسيا", 0),
    ("ORG", "الأمم المتحدة", 0),
    ("PER", "بشار الأسد", 0),
)
"""(label, gold entity, documents it must span) named by issue 22's "Done when". 0: more than one
(the issue asks one entity, and "all 5 articles" only of Kerry and de Mistura); the gold's documents
are reported beside what was found, since an outlet where the NER misses the name is a recognition
miss, not a merge error (docs/story.md)."""

_PUNCT = re.compile(r"[^\w\s]")


# ---------------------------------------------------------------------------- gold
def load_gold(path: Path = GOLD, root: Path = ROOT) -> dict[str, Any]:
    """The gold story with ``texts`` (document id -> text) and every span located (``start``/``end``)."""
    gold: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    gold["texts"] = {doc: (root / rel).read_text(encoding="utf-8") for doc, rel in gold["documents"].items()}
    for kind, field in (("statements", "text"), ("stances", "evidence")):
        for item in gold[kind]:
            for src in item["sources"]:
                text = gold["texts"][src["doc"]]
                start = text.find(src[field])
                if start < 0 or text.find(src[field], start + 1) >= 0:
                    raise ValueError(f"{kind}: {src[field]!r} is not once in document {src['doc']}")
                src["start"], src["end"] = start, start + len(src[field])
    for e in gold["entities"]:
        for doc in e["docs"]:
            if not any(v in gold["texts"][doc] for v in e["variants"]):
                raise ValueError(f"entity {e['name']}: no variant in document {doc}")
    return gold


def norm(text: str) -> str:
    """ANNOTATION.md's scoring normalization: NFKC, marks and tatweel off, alef/yeh/ta marbuta and the
    hamza seats folded, punctuation as space, a leading لل read as ال."""
    words = _PUNCT.sub(" ", fold(unicodedata.normalize("NFKC", text))).split()
    if words and words[0].startswith("لل") and len(words[0]) > 3:
        words[0] = "ا" + words[0][1:]
    return " ".join(words)


def _target_words(text: str) -> set[str]:
    out = set()
    for w in norm(text).split():
        for pre in ("وال", "بال", "لل", "ال", "و", "ف"):
            if w.startswith(pre) and len(w) - len(pre) >= 2:
                w = ("ا" + w[2:]) if pre == "لل" else w[len(pre) :]
                w = w[2:] if w.startswith("ال") and len(w) > 3 else w
                break
        for suf in ("ين", "ون", "ات"):
            if w.endswith(suf) and len(w) - len(suf) >= 2:
                w = w[: -len(suf)]
                break
        out.add(w)
    return out


# ---------------------------------------------------------------------------- the system's story
def run_story(gold: dict[str, Any], analyzer: Any | None = None) -> tuple[Story, list[StoryInput]]:
    """The pipeline over the gold documents, as ``/v1/story`` runs it."""
    if analyzer is None:
        from qawl_service.analyzer import Analyzer

        analyzer = Analyzer.load()
    ids = list(gold["texts"])
    texts = [gold["texts"][i] for i in ids]
    analyses: list[Analysis] = analyzer.analyze_many(texts, FEATURES, ids)
    inputs = [StoryInput(doc=i, text=t, analysis=a) for i, t, a in zip(ids, texts, analyses, strict=True)]
    return build_story(inputs), inputs


# ---------------------------------------------------------------------------- scores
def _prf(right: int, n_sys: int, found: int, n_gold: int, n_all: int | None = None) -> dict[str, Any]:
    """P = right / n_sys, R = found / n_gold (pairs both of whose items the pipeline found), and
    ``r_all`` = found / n_all (every gold pair: detection misses count too)."""
    p = right / n_sys if n_sys else 1.0
    r = found / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    out = {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "pairs": n_sys, "gold_pairs": n_gold}
    if n_all is not None:
        out |= {"r_all": round(found / n_all, 4) if n_all else 1.0, "gold_pairs_all": n_all}
    return out


def pairwise(
    system: dict[Any, Any], gold: dict[Any, Any], gold_groups: dict[Any, list[Any]]
) -> dict[str, Any]:
    """Pairwise P/R: ``system`` maps each matched gold item to its system cluster, ``gold`` to its
    gold cluster; ``gold_groups`` lists each gold cluster's items (found or not). Recall is over the
    gold pairs whose two items were found (the merge's share); ``r_all`` over every gold pair."""
    by_cluster: dict[Any, list[Any]] = defaultdict(list)
    for item, cluster in system.items():
        by_cluster[cluster].append(item)
    sys_pairs = [(a, b) for items in by_cluster.values() for a, b in combinations(items, 2)]
    right = sum(gold[a] == gold[b] for a, b in sys_pairs)
    gold_pairs = [(a, b) for items in gold_groups.values() for a, b in combinations(items, 2)]
    seen = [(a, b) for a, b in gold_pairs if a in system and b in system]
    found = sum(system[a] == system[b] for a, b in seen)
    return _prf(right, len(sys_pairs), found, len(seen), len(gold_pairs))


def bcubed(system: dict[Any, Any], gold: dict[Any, Any]) -> dict[str, Any]:
    by_sys: dict[Any, set[Any]] = defaultdict(set)
    by_gold: dict[Any, set[Any]] = defaultdict(set)
    for item in system:
        by_sys[system[item]].add(item)
        by_gold[gold[item]].add(item)
    if not system:
        return {"p": 0.0, "r": 0.0, "f1": 0.0}
    p = sum(len(by_sys[system[i]] & by_gold[gold[i]]) / len(by_sys[system[i]]) for i in system) / len(system)
    r = sum(len(by_sys[system[i]] & by_gold[gold[i]]) / len(by_gold[gold[i]]) for i in system) / len(system)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}


def entity_occurrences(gold: dict[str, Any], story: Story) -> set[tuple[str, str, int]]:
    """(story entity id, document, gold entity index) for each gold entity a story entity's mentions
    in that document spell (same label, the gold entity listed in the document): a story entity
    holding two gold entities' mentions in one document gives two items."""
    out: set[tuple[str, str, int]] = set()
    variants = [{norm(v) for v in g["variants"]} for g in gold["entities"]]
    for e in story.entities:
        texts: dict[str, set[str]] = defaultdict(set)
        for m in e.mentions:
            texts[m.doc].add(norm(m.text))
        for doc, seen in texts.items():
            for gi, g in enumerate(gold["entities"]):
                if g["label"] == e.label and doc in g["docs"] and seen & variants[gi]:
                    out.add((e.id, doc, gi))
    return out


def score_entities(gold: dict[str, Any], story: Story) -> dict[str, Any]:
    items = entity_occurrences(gold, story)
    system = {item: item[0] for item in items}
    gold_of = {item: item[2] for item in items}
    # a gold pair of documents is found when one story entity stands for the entity in both
    found_in: dict[tuple[int, str], set[str]] = defaultdict(set)
    for eid, doc, gi in items:
        found_in[(gi, doc)].add(eid)
    gold_pairs = [
        (gi, a, b) for gi, g in enumerate(gold["entities"]) for a, b in combinations(sorted(g["docs"]), 2)
    ]
    seen = [(gi, a, b) for gi, a, b in gold_pairs if found_in[(gi, a)] and found_in[(gi, b)]]
    found = sum(bool(found_in[(gi, a)] & found_in[(gi, b)]) for gi, a, b in seen)
    by_sys: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for item in items:
        by_sys[item[0]].append(item)
    # system pairs: two items of one story entity in different documents, or two gold entities in one
    sys_pairs = [
        (x, y) for group in by_sys.values() for x, y in combinations(group, 2) if x[1] != y[1] or x[2] != y[2]
    ]
    right = sum(x[2] == y[2] for x, y in sys_pairs)
    occurrences = sum(len(g["docs"]) for g in gold["entities"])
    errors = []
    for eid, group in by_sys.items():
        golds = {gold["entities"][gi]["name"] for _, _, gi in group}
        if len(golds) > 1:
            errors.append({"error": "merged", "story_entity": eid, "gold": sorted(golds)})
    for gi, g in enumerate(gold["entities"]):
        holders = [found_in[(gi, d)] for d in g["docs"] if found_in[(gi, d)]]
        if len(holders) > 1 and not set.intersection(*holders):
            errors.append(
                {"error": "split", "gold": g["name"], "story_entities": sorted(set().union(*holders))}
            )
    return {
        "pairwise": _prf(right, len(sys_pairs), found, len(seen), len(gold_pairs)),
        "bcubed": bcubed(system, gold_of),
        "coverage": round(len({(gi, d) for _, d, gi in items}) / occurrences, 4) if occurrences else 0.0,
        "occurrences": occurrences,
        "errors": errors,
    }


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def _one_to_one(cands: Iterable[tuple[float, Any, Any]]) -> dict[Any, Any]:
    """Greedy one-to-one matching, best score first: system key -> gold key."""
    used_g: set[Any] = set()
    out: dict[Any, Any] = {}
    for _, s, g in sorted(cands, key=lambda c: -c[0]):
        if s in out or g in used_g:
            continue
        out[s] = g
        used_g.add(g)
    return out


def score_statements(gold: dict[str, Any], story: Story) -> dict[str, Any]:
    gold_sources = [
        (gi, si, src) for gi, st in enumerate(gold["statements"]) for si, src in enumerate(st["sources"])
    ]
    cands = []
    for stmt in story.statements:
        for k, src in enumerate(stmt.sources):
            for gi, si, g in gold_sources:
                if g["doc"] != src.doc:
                    continue
                ov = _overlap(src.start, src.end, g["start"], g["end"])
                if ov and ov >= (g["end"] - g["start"]) / 2:
                    cands.append((ov, (stmt.id, k), (gi, si)))
    matched = _one_to_one(cands)
    system = {g: sid for (sid, _), g in matched.items()}  # gold source -> system statement
    gold_of = {g: g[0] for g in system}
    groups = {gi: [(gi, si) for si in range(len(st["sources"]))] for gi, st in enumerate(gold["statements"])}
    result = pairwise(system, gold_of, groups)
    all_sources = sum(len(s.sources) for s in story.statements)
    multi = [gi for gi, st in enumerate(gold["statements"]) if len(st["sources"]) > 1]
    whole = [
        gi
        for gi in multi
        if all(g in system for g in groups[gi]) and len({system[g] for g in groups[gi]}) == 1
    ]
    errors = []
    for gi in multi:
        if gi not in whole:
            errors.append(
                {
                    "error": "statement not whole",
                    "gold": gold["statements"][gi]["speaker"],
                    "sources": [(g[1], system.get(g)) for g in groups[gi]],
                    "first": gold["statements"][gi]["sources"][0]["text"][:60],
                }
            )
    by_sys: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for g, sid in system.items():
        by_sys[sid].append(g)
    for sid, items in by_sys.items():
        if len({g[0] for g in items}) > 1:
            errors.append({"error": "merged", "statement": sid, "gold": sorted({g[0] for g in items})})
    return {
        "pairwise": result,
        "bcubed": bcubed(system, gold_of),
        "sources_matched": len(matched),
        "system_sources": all_sources,
        "gold_sources": len(gold_sources),
        "gold_multi_source": len(multi),
        "gold_multi_source_whole": len(whole),
        "errors": errors,
    }


def _aliases(gold: dict[str, Any], name: str) -> list[str]:
    for e in gold["entities"]:
        if e["name"] == name:
            return [name, *e["variants"]]
    return [name]


def holder_ok(gold: dict[str, Any], gold_holder: str, system_holder: str) -> bool:
    name = norm(system_holder)
    return bool(name) and any(
        (a := norm(alias)) and (a in name or name in a) for alias in _aliases(gold, gold_holder)
    )


def target_ok(gold_target: str, system_target: str) -> bool:
    want = _target_words(gold_target)
    return bool(want) and len(want & _target_words(system_target)) * 2 >= len(want)


def score_stances(gold: dict[str, Any], story: Story) -> dict[str, Any]:
    gold_sources = [
        (gi, si, src) for gi, st in enumerate(gold["stances"]) for si, src in enumerate(st["sources"])
    ]
    cands = []
    fits: dict[tuple[int, int], bool] = {}
    for n, st in enumerate(story.stances):
        for gi, g in enumerate(gold["stances"]):
            fits[(n, gi)] = (
                st.label == g["label"]
                and holder_ok(gold, g["holder"], st.holder.name)
                and target_ok(g["target"], st.target.text)
            )
        for k, src in enumerate(st.sources):
            for gi, si, g in gold_sources:
                if g["doc"] != src.doc or not fits[(n, gi)]:
                    continue
                ov = _overlap(src.start, src.end, g["start"], g["end"])
                if ov:
                    cands.append((ov, (n, k), (gi, si)))
    matched = _one_to_one(cands)
    system = {g: n for (n, _), g in matched.items()}
    gold_of = {g: g[0] for g in system}
    groups = {gi: [(gi, si) for si in range(len(st["sources"]))] for gi, st in enumerate(gold["stances"])}
    # stance level: a story stance is right when it stands for a gold stance somewhere
    shared: Counter[tuple[int, int]] = Counter((n, g[0]) for g, n in system.items())
    stance_match = _one_to_one((c, n, gi) for (n, gi), c in shared.items())
    errors = [
        {
            "error": "missed",
            "holder": g["holder"],
            "target": g["target"],
            "label": g["label"],
            "docs": sorted({s["doc"] for s in g["sources"]}),
        }
        for gi, g in enumerate(gold["stances"])
        if gi not in stance_match.values()
    ] + [
        {
            "error": "spurious",
            "holder": st.holder.name,
            "target": st.target.text,
            "label": st.label,
            "docs": sorted({s.doc for s in st.sources}),
        }
        for n, st in enumerate(story.stances)
        if n not in stance_match
    ]
    tp, n_sys, n_gold = len(stance_match), len(story.stances), len(gold["stances"])
    prf = _prf(tp, n_sys, tp, n_gold)
    return {
        "pairwise": pairwise(system, gold_of, groups),
        "stances": {"p": prf["p"], "r": prf["r"], "f1": prf["f1"], "tp": tp, "pred": n_sys, "gold": n_gold},
        "errors": errors,
    }


def _docs(spans: Iterable[Any]) -> set[str]:
    return {s.doc for s in spans}


def done_when(gold: dict[str, Any], story: Story) -> dict[str, Any]:
    """Issue 22's "Done when" on the seeds; each check with what it found."""
    checks: dict[str, Any] = {}
    by_name = {g["name"]: g for g in gold["entities"]}
    for label, name, n_docs in DONE_WHEN_ACTORS:
        g = by_name[name]
        variants = {norm(v) for v in g["variants"]}
        holders = [
            e
            for e in story.entities
            if e.label == label and any(norm(m.text) in variants for m in e.mentions)
        ]
        docs = sorted(_docs(holders[0].mentions)) if len(holders) == 1 else []
        want = n_docs or 2
        spellings = sorted({v for e in holders for v in e.variants if norm(v) in variants})
        checks[f"one entity: {name}"] = {
            "ok": len(holders) == 1 and len(docs) >= want,
            "story_entities": [e.id for e in holders],
            "docs": docs,
            "gold_docs": g["docs"],
            "spellings": spellings,
        }
    merged = []
    people = [g for g in gold["entities"] if g["label"] == "PER"]
    for e in story.entities:
        if e.label != "PER":
            continue
        who = {
            g["name"] for g in people if {norm(v) for v in g["variants"]} & {norm(m.text) for m in e.mentions}
        }
        if len(who) > 1:
            merged.append({"story_entity": e.id, "people": sorted(who)})
    checks["no entity merges two people"] = {"ok": not merged, "merged": merged}

    def one(name: str) -> str | None:
        ids: list[str] = checks[f"one entity: {name}"]["story_entities"]
        return ids[0] if len(ids) == 1 else None

    kerry, russia = one("جون كيري"), one("روسيا")
    multi = [
        s.id
        for s in story.statements
        if kerry is not None and s.speaker and s.speaker.entity_id == kerry and len(_docs(s.sources)) > 1
    ]
    checks["Kerry's statements from several outlets"] = {"ok": bool(multi), "statements": multi}
    for actor, eid in (("Kerry", kerry), ("Russia", russia)):
        found = [
            {"target": s.target.text, "label": s.label, "docs": sorted(_docs(s.sources))}
            for s in story.stances
            if eid is not None and s.holder.entity_id == eid and len(_docs(s.sources)) > 1
        ]
        checks[f"{actor}'s stances from more than one outlet"] = {"ok": bool(found), "stances": found}
    return checks


def evaluate(gold: dict[str, Any], story: Story) -> dict[str, Any]:
    return {
        "entities": score_entities(gold, story),
        "statements": score_statements(gold, story),
        "stances": score_stances(gold, story),
        "done_when": done_when(gold, story),
    }


# ---------------------------------------------------------------------------- report
def _line(title: str, s: dict[str, Any], extra: str = "") -> str:
    line = f"{title:34s} P {s['p']:.3f}  R {s['r']:.3f}  F1 {s['f1']:.3f}"
    if "pairs" in s:
        line += f"  ({s['pairs']} pairs; recall over {s['gold_pairs']} gold pairs found by the pipeline"
        line += f", {s['r_all']:.3f} over all {s['gold_pairs_all']})" if "r_all" in s else ")"
    return line + extra


def report(result: dict[str, Any], out: Any = sys.stdout) -> None:
    e, q, s = result["entities"], result["statements"], result["stances"]
    lines = [
        _line("entities, pairwise (occurrences)", e["pairwise"]),
        _line("entities, B-cubed (occurrences)", e["bcubed"]),
        f"{'entities, coverage':34s} {e['coverage']:.3f} of {e['occurrences']} gold occurrences found",
        _line("statements, pairwise (sources)", q["pairwise"]),
        _line("statements, B-cubed (sources)", q["bcubed"]),
        f"{'statements, sources':34s} {q['sources_matched']} of {q['system_sources']} story sources match "
        f"{q['gold_sources']} gold; {q['gold_multi_source_whole']} of {q['gold_multi_source']} multi-source "
        "gold statements whole",
        _line("stances, pairwise (sources)", s["pairwise"]),
        _line(
            "stances",
            s["stances"],
            f"  (tp {s['stances']['tp']}, pred {s['stances']['pred']}, gold {s['stances']['gold']})",
        ),
        "done when:",
    ]
    for name, check in result["done_when"].items():
        detail = {k: v for k, v in check.items() if k != "ok"}
        lines.append(f"  [{'x' if check['ok'] else ' '}] {name}: {json.dumps(detail, ensure_ascii=False)}")
    print("\n".join(lines), file=out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    parser.add_argument("--errors", action="store_true", help="print the merge errors and misses")
    args = parser.parse_args(argv)
    gold = load_gold(args.gold)
    story, _ = run_story(gold)
    result = evaluate(gold, story)
    report(result)
    if args.errors:
        for part in ("entities", "statements", "stances"):
            for err in result[part]["errors"]:
                print(part, json.dumps(err, ensure_ascii=False))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
