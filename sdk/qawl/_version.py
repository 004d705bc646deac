"""The SDK's version; kept in step with ``version`` in ``sdk/pyproject.toml``."""

__version__ = "0.1.0"
