"""Benchmarks: figures for closing notes, never assertions in tests."""
