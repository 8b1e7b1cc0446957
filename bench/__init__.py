"""Benchmarks for dwarchive (issue 6): requests, limiter, parsers, scale. See bench/README.md."""
