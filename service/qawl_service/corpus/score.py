"""The guideline's scoring ("Scoring" in ANNOTATION.md), for agreement and for system evaluation.

Both sides are documents in the guideline's view: ``{"text", "entities": [{"text", "label"}],
"quotes": [{"start", "end", "kind", "speaker", "speaker_aliases"}], "stances": [{"holder", "target",
"label"}]}`` (quote offsets are code points; the annotators' strings are resolved to them first).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Any

from qawl_service.corpus.resolve import nearest, occurrences
from qawl_service.nlp.arabic import normalize

_PUNCT = re.compile(r"[^\w\s]|_")
# Titles set aside when speaker names are compared (the guideline: "the predicted name, titles aside").
_TITLE_WORDS = (
    "الرئيس",
    "الوزير",
    "وزير",
    "الأمير",
    "الشيخ",
    "الدكتور",
    "د",
    "اللواء",
    "العقيد",
    "العميد",
    "الملك",
    "السيد",
    "السيدة",
    "النائب",
    "المتحدث",
    "الناطق",
    "الرسمي",
    "باسم",
    "رئيس",
    "مدير",
    "المدير",
    "الأمين",
    "العام",
    "عضو",
    "السفير",
    "المستشار",
    "القاضي",
    "المدرب",
    "اللاعب",
)
TITLES = frozenset(normalize(w) for w in _TITLE_WORDS)


def tokens(s: str) -> list[str]:
    s = normalize(unicodedata.normalize("NFKC", s)).replace("ؤ", "و").replace("ئ", "ي")
    out = []
    for t in _PUNCT.sub(" ", s).split():
        if len(t) > 2 and t[0] in "وف":
            t = t[1:]
        if len(t) > 3 and t[0] in "بلك" and t[1:3] == "ال":
            t = t[1:]
        out.append(t)
    return out


def norm(s: str) -> str:
    return " ".join(tokens(s))


def entity_key(s: str) -> str:
    toks = tokens(s)
    if toks and toks[0].startswith("لل") and len(toks[0]) > 3:  # a fused لل counts as ال
        toks[0] = "ال" + toks[0][2:]
    return " ".join(toks)


def _prf(tp: float, pred: float, gold: float) -> dict[str, float]:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    return {
        "p": round(p, 4),
        "r": round(r, 4),
        "f": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "tp": tp,
        "pred": pred,
        "gold": gold,
    }


def name_matches(pred: str, gold_names: list[str]) -> bool:
    p = " ".join(t for t in tokens(pred) if t not in TITLES)
    if not p:
        return False
    for g in gold_names:
        g = " ".join(t for t in tokens(g) if t not in TITLES)
        if g and (p in g or g in p):
            return True
    return False


def name_matches_strict(pred: str, gold_names: list[str]) -> bool:
    """The strict reading (issue 19: right entity, clean name): the lenient match, and every word of the
    predicted name, titles aside, is a word of the gold speaker or one of its aliases, so a name with a
    glued clitic ("عبده الحذيفي ل"), a verb ("وأجابت") or a cut word ("الد") fails."""
    if not name_matches(pred, gold_names):
        return False
    known = {t for g in gold_names for t in tokens(g)}
    return all(t in known for t in tokens(pred) if t not in TITLES)


def _cue_matches(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    """The predicted cue overlaps the gold cue's span (both quotes matched; gold has a cue)."""
    if pred.get("cue_start") is None:
        return False
    return bool(min(gold["cue_end"], pred["cue_end"]) > max(gold["cue_start"], pred["cue_start"]))


def _target_tokens(s: str) -> list[str]:
    out = []
    for t in tokens(s):
        if t.startswith("ال") and len(t) > 3:
            t = t[2:]
        for suffix in ("ين", "ون", "ات"):
            if t.endswith(suffix) and len(t) > 4:
                t = t[: -len(suffix)]
                break
        out.append(t)
    return out


def _match_quotes(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> list[tuple[int, int]]:
    pairs = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            overlap = min(g["end"], p["end"]) - max(g["start"], p["start"])
            if overlap * 2 >= g["end"] - g["start"] and overlap > 0:
                pairs.append((overlap, i, j))
    pairs.sort(reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, i, j in pairs:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            out.append((i, j))
    return out


CONFIDENCE_BINS = (0.5, 0.6, 0.7, 0.8, 0.9)
# stances are right a third of the time (corpus dev): their calibrated confidence sits lower
STANCE_BINS = (0.2, 0.3, 0.4, 0.5, 0.7)


def score(gold_docs: list[dict[str, Any]], pred_docs: list[dict[str, Any]]) -> dict[str, Any]:
    """Micro-averaged scores over documents paired by position."""
    ent: Counter[str] = Counter()
    ent_untyped: Counter[str] = Counter()
    per_label: dict[str, Counter[str]] = {}
    q: Counter[str] = Counter()
    per_kind: dict[str, Counter[str]] = {}
    st: Counter[str] = Counter()
    st_pair: Counter[str] = Counter()  # holder and target, label aside
    st_holder: Counter[str] = Counter()  # the holder alone
    per_pol: dict[str, Counter[str]] = {}
    calibration: dict[str, Counter[str]] = {}
    stance_calibration: dict[str, Counter[str]] = {}
    for gd, pd in zip(gold_docs, pred_docs, strict=True):
        ge = {(entity_key(e["text"]), e["label"]) for e in gd["entities"]}
        pe = {(entity_key(e["text"]), e["label"]) for e in pd["entities"]}
        ent.update(tp=len(ge & pe), pred=len(pe), gold=len(ge))
        gu, pu = {k for k, _ in ge}, {k for k, _ in pe}
        ent_untyped.update(tp=len(gu & pu), pred=len(pu), gold=len(gu))
        for label in {lab for _, lab in ge | pe}:
            c = per_label.setdefault(label, Counter())
            g1 = {x for x in ge if x[1] == label}
            p1 = {x for x in pe if x[1] == label}
            c.update(tp=len(g1 & p1), pred=len(p1), gold=len(g1))

        gq, pq = gd["quotes"], pd["quotes"]
        pairs = _match_quotes(gq, pq)
        q.update(tp=len(pairs), pred=len(pq), gold=len(gq))
        matched = {j for _, j in pairs}
        for j, p in enumerate(pq):
            if "confidence" in p:  # system quotes: precision per confidence bin (calibration)
                b = _bin(p["confidence"])
                calibration.setdefault(b, Counter()).update(pred=1, tp=int(j in matched))
        for i, j in pairs:
            g, p = gq[i], pq[j]
            names = [g["speaker"], *g.get("speaker_aliases", [])]
            q["speaker"] += name_matches(p["speaker"] or "", names)
            q["speaker_strict"] += name_matches_strict(p["speaker"] or "", names)
            if g.get("cue_start") is not None:
                q["cued"] += 1
                q["cue"] += _cue_matches(g, p)
            q["kind"] += p["kind"] == g["kind"]
        for kind in ("direct", "indirect", "mixed"):
            gk = [x for x in gq if x["kind"] == kind]
            pk = [x for x in pq if x["kind"] == kind]
            c = per_kind.setdefault(kind, Counter())
            c.update(tp=len(_match_quotes(gk, pk)), pred=len(pk), gold=len(gk))

        used = _match_stances(gd["stances"], pd["stances"], gq)
        for j in used:
            per_pol.setdefault(pd["stances"][j]["label"], Counter())["tp"] += 1
        for j, p in enumerate(pd["stances"]):
            if "confidence" in p:
                b = _bin(p["confidence"], STANCE_BINS)
                stance_calibration.setdefault(b, Counter()).update(pred=1, tp=int(j in used))
        st.update(tp=len(used), pred=len(pd["stances"]), gold=len(gd["stances"]))
        for mode, c in (("pair", st_pair), ("holder", st_holder)):
            c.update(
                tp=len(_match_stances(gd["stances"], pd["stances"], gq, mode)),
                pred=len(pd["stances"]),
                gold=len(gd["stances"]),
            )
        for x in gd["stances"]:
            per_pol.setdefault(x["label"], Counter())["gold"] += 1
        for x in pd["stances"]:
            per_pol.setdefault(x["label"], Counter())["pred"] += 1

    def prf(c: Counter[str]) -> dict[str, float]:
        return _prf(c["tp"], c["pred"], c["gold"])

    return {
        "documents": len(gold_docs),
        "entities": prf(ent),
        "entities_untyped": prf(ent_untyped),
        "entities_by_label": {k: prf(v) for k, v in sorted(per_label.items())},
        "quotes": prf(q),
        "quotes_by_kind": {k: prf(v) for k, v in per_kind.items()},
        "speaker_accuracy": round(q["speaker"] / q["tp"], 4) if q["tp"] else 0.0,
        "speaker_accuracy_strict": round(q["speaker_strict"] / q["tp"], 4) if q["tp"] else 0.0,
        "kind_accuracy": round(q["kind"] / q["tp"], 4) if q["tp"] else 0.0,
        "cue_accuracy": round(q["cue"] / q["cued"], 4) if q["cued"] else 0.0,
        "stances": prf(st),
        "stances_by_label": {k: prf(v) for k, v in sorted(per_pol.items())},
        "stances_pair": prf(st_pair),
        "stances_holder": prf(st_holder),
        "quote_calibration": reliability(calibration),
        "stance_calibration": reliability(stance_calibration, STANCE_BINS),
    }


def reliability(
    bins: dict[str, Counter[str]], edges: tuple[float, ...] = CONFIDENCE_BINS
) -> dict[str, dict[str, Any]]:
    """Confidence bin -> predicted and observed precision, bins in order (``_bin``'s ``edges``)."""
    return {
        k: {"pred": bins[k]["pred"], "precision": round(bins[k]["tp"] / bins[k]["pred"], 4)}
        for k in (_bin(x, edges) for x in (0.0, *edges))
        if k in bins
    }


def reliability_table(
    probs: list[float], ys: list[int], edges: tuple[float, ...] = CONFIDENCE_BINS
) -> dict[str, dict[str, Any]]:
    """``reliability`` of predictions with probabilities ``probs`` (rounded to 2 decimals) and outcomes
    ``ys`` (1: right): the calibration fits' tables."""
    bins: dict[str, Counter[str]] = {}
    for p, y in zip(probs, ys, strict=True):
        bins.setdefault(_bin(round(p, 2), edges), Counter()).update(pred=1, tp=y)
    return reliability(bins, edges)


def _match_stances(
    gold: list[dict[str, Any]],
    pred: list[dict[str, Any]],
    gold_quotes: list[dict[str, Any]],
    mode: str = "triple",
) -> set[int]:
    """The predicted stances that match a gold one (one to one, gold in order): the holder matched as a
    speaker (against the gold holder and the aliases its quotes give it), half the gold target's words in
    the predicted target and the same label (``triple``, the guideline's scoring); label aside (``pair``);
    the holder alone (``holder``)."""
    aliases: dict[str, list[str]] = {}
    for x in gold_quotes:
        aliases.setdefault(norm(x["speaker"]), []).extend(x.get("speaker_aliases", []))
    used: set[int] = set()
    for g in gold:
        names = [g["holder"], *aliases.get(norm(g["holder"]), [])]
        gt = _target_tokens(g["target"])
        for j, p in enumerate(pred):
            if j in used or (mode == "triple" and p["label"] != g["label"]):
                continue
            if not name_matches(p["holder"] or "", names):
                continue
            pt = set(_target_tokens(p["target"]))
            if mode == "holder" or (gt and sum(t in pt for t in gt) * 2 >= len(gt)):
                used.add(j)
                break
    return used


def _bin(confidence: float, edges: tuple[float, ...] = CONFIDENCE_BINS) -> str:
    """The confidence bin of a quote or a stance: "<0.5", "0.5-0.6" ... ">=0.9" (``edges``)."""
    lo = 0.0
    for edge in edges:
        if confidence < edge:
            return f"<{edge}" if lo == 0.0 else f"{lo}-{edge}"
        lo = edge
    return f">={edges[-1]}"


def view(ann: dict[str, Any], text: str) -> dict[str, Any]:
    """An annotation in the guideline's JSON (strings) -> the scoring view (quote and cue offsets resolved
    as corpus.resolve stores them: a content's first free occurrence, its cue the nearest one)."""
    quotes, used = [], set()
    for q in ann["quotes"]:
        i = next((h for h in occurrences(text, q["content"]) if h not in used), text.find(q["content"]))
        used.add(i)
        end = i + len(q["content"])
        cue = q.get("cue")
        c = nearest(text, cue, i, end) if cue and cue in text else None
        quotes.append(
            {
                "start": i,
                "end": end,
                "kind": q["kind"],
                "speaker": q["speaker"],
                "speaker_aliases": q.get("speaker_aliases", []),
                "cue_start": c,
                "cue_end": None if c is None else c + len(cue),
            }
        )
    return {"text": text, "entities": ann["entities"], "quotes": quotes, "stances": ann["stances"]}
