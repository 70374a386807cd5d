"""Benchmark scenarios. Each module has `measure(ctx) -> dict` of raw measurements taken on
one bench database with the app's real code paths; `bench.run` turns them into rows with
ratios and targets. `runner` is the per-database process that configures Django."""
