"""A learned stance decision over candidates from the pipeline's own output (issue 20, experiment).

candidates.py proposes (holder, target, context) triples from an analysis; labels.py marks them with the
corpus's gold stances under the scorer's matching; features.py and model.py classify them; run.py
ties it together for training/train_stance.py. docs/stance.md ("A learned decision") has the numbers.
"""
