"""Qawl service: Arabic news analysis over HTTP."""

__version__ = "0.1.0"
