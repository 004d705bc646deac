"""Benchmarks of the Qawl pipeline and service (``make bench``; results in BENCHMARKS.md)."""
