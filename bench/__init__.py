"""Benchmarks at national scale: `make bench` runs them all; figures go in docs/PERFORMANCE.md."""
