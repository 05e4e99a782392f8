"""Hardening suite: concurrency, bad input, containment, bounded resources (issue 12)."""
