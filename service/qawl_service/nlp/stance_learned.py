"""The learned stance step (issue 20) inside ``qawl_stance``: rules ∪ learned.

After the rules, the document's candidates (``stance_learn/candidates.py``: quote speakers and the PER/ORG
of a sentence holding a quote or a rule stance × entity mentions and noun-phrase chunks around them, and
the rule stances) are scored by the logistic regression trained by training/train_stance.py, shipped as
``data/stance_model.npz`` (its data, configuration and scores in ``data/stance_model.json``). numpy only:
the hash and the scoring are ``stance_learn/model.py:Scorer``, with the dense columns of
``stance_learn/dense.py`` (the packaged model's floret vectors, stop 22). A candidate is a stance when
its stance probability 1 − P(none) reaches the threshold chosen on the corpus dev split
(``NOMINAL_THRESHOLD`` for a holder that is no entity but a definite description, stop 22; other holders
that are no entity never; ``UNEVALUATED_THRESHOLD`` in a context with no favor or against cue word,
stop 26: ``model.admitted``; the probability with the target ranker's share, stop 27:
``model.rank_adjust``), and none of decode's exclusions holds
(``model.excluded``: a negation just before its target, stop 22; a verb inside the target, a target over
the holder's own mention, an attribution source outside its report, an entity in another speaker's
title, stop 23); one per (holder, overlapping target), best first; it is added to the rule stances
unless a rule stance (or a better learned one) of the same holder already covers half the smaller
target's words (``same_target``, stop 21). A learned stance's ``confidence`` is that probability (not
calibrated), its ``cue`` is None, its
``evidence`` the quote or sentence it was read in.
"""

from __future__ import annotations

from pathlib import Path

from qawl.types import Analysis, Entity, Mention, Quote, Speaker, Stance, StanceLabel, Target
from qawl_service.corpus.score import _target_tokens, norm
from qawl_service.stance_learn.candidates import candidates
from qawl_service.stance_learn.features import DocTokens
from qawl_service.stance_learn.model import Scorer, admitted, decode, excluded, holder_admitted, same_target

from .stance_targets import _link_targets

DEFAULT_WEIGHTS = Path(__file__).resolve().parent / "data" / "stance_model.npz"


class LearnedStances:
    def __init__(self, scorer: Scorer, threshold: float | None = None) -> None:
        self.scorer = scorer
        self.threshold = scorer.threshold if threshold is None else threshold

    @classmethod
    def load(cls, path: str | Path | None = None, threshold: float | None = None) -> LearnedStances:
        return cls(Scorer.load(Path(path) if path else DEFAULT_WEIGHTS), threshold)

    def learned(
        self, text: str, entities: list[Entity], quotes: list[Quote], rules: list[Stance]
    ) -> list[Stance]:
        """The learned stances of a document, best first (before the merge)."""
        dt = DocTokens(text)
        cands = candidates(
            0, text, Analysis(id=None, model="", entities=entities, quotes=quotes, stances=rules), tokens=dt
        )
        # decode admits no candidate whose holder is not admitted (model.holder_admitted): those are not
        # scored (a row's score does not depend on the other rows)
        cands = [c for c in cands if holder_admitted(c)]
        if not cands:
            return []
        # the stance probabilities with the target ranker's share (stop 27: model.rank_adjust)
        proba = self.scorer.scores_candidates(cands, dt)
        # the exclusions are read only where decode would admit the candidate: a tenth of the step's time
        # went to testing them on candidates far below the threshold (stop 23, make bench)
        stance = (1.0 - proba[:, 0]).tolist()
        t = self.threshold
        exclusions = [admitted(c, s, t) and excluded(c, dt) for c, s in zip(cands, stance, strict=True)]
        out = []
        for c, lab, p in decode(cands, proba, self.threshold, exclusions):
            label: StanceLabel = "favor" if lab == "favor" else "against"
            holder = c.speaker or Speaker(name=c.holder)
            out.append(
                Stance(
                    holder=Speaker(
                        name=c.holder,
                        entity_id=holder.entity_id,
                        mention=holder.mention,
                        resolution=holder.resolution,
                    ),
                    target=Target(
                        text=c.target,
                        mention=Mention(start=c.target_start, end=c.target_end, text=c.target),
                    ),
                    label=label,
                    evidence=Mention(start=c.ctx_start, end=c.ctx_end, text=text[c.ctx_start : c.ctx_end]),
                    cue=None,
                    quote_id=c.quote_id,
                    confidence=round(min(1.0, max(0.0, p)), 4),
                )
            )
        _link_targets(out, entities)
        return out

    def merge(
        self, text: str, entities: list[Entity], quotes: list[Quote], rules: list[Stance]
    ) -> list[Stance]:
        """The rule stances and the learned ones no stance of the same holder already covers
        (``same_target``: half the smaller target's words shared), in the rules' order (evidence, then
        target)."""
        merged = list(rules)
        keys = [(norm(s.holder.name), set(_target_tokens(s.target.text))) for s in merged]
        for s in self.learned(text, entities, quotes, rules):
            h, tt = norm(s.holder.name), set(_target_tokens(s.target.text))
            if any(h == kh and same_target(tt, kt) for kh, kt in keys):
                continue
            merged.append(s)
            keys.append((h, tt))
        merged.sort(key=lambda s: (s.evidence.start, s.target.mention.start if s.target.mention else 0))
        return merged
