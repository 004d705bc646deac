"""Evaluation of the shipped pipeline: NER on CoNLL files, quotes and stance on the dev gold sets.

    python -m qawl_service.evaluation.ner MODEL_DIR --data training/corpus/test.spacy
    python -m qawl_service.evaluation.quotes [--gold tests/data/quotes/heldout.jsonl]
    python -m qawl_service.evaluation.stance
    python -m qawl_service.evaluation.compare MODEL_A MODEL_B --data ...

The corpus (QNC) has its own scoring in ``qawl_service.corpus`` (``make eval-corpus``).
"""
