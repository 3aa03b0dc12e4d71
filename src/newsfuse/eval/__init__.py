"""Benchmarks and quality evaluation (`newsfuse eval ...`, `make bench`)."""
