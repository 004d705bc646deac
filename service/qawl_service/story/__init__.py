"""The story view (``POST /v1/story``): one event across outlets.

- :mod:`.names`: the spelling-insensitive key of a name and when two keys name one referent;
- :mod:`.words`: the content words two wordings are compared on;
- :mod:`.entities`, :mod:`.statements`, :mod:`.stances`: the three merges;
- :mod:`.merge`: :func:`build_story`, the whole view from the per-document analyses.
"""

from .merge import Story, build_story
from .source import StoryInput

__all__ = ["Story", "StoryInput", "build_story"]
