"""The Qawl News Corpus (QNC): selection, annotation format, validation, loading and scoring.

Annotations follow ``../shared/guidelines/ANNOTATION.md``. The article text is never stored in the
repo: records keep the document id, code-point offsets and short heads, and the text is read from
``../shared`` when the corpus is loaded (see docs/corpus.md).
"""

from qawl_service.corpus.load import load_corpus

__all__ = ["load_corpus"]
