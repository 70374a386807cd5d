"""Organisation-scale benchmark: a generated organisation on PostgreSQL, the app's real code
paths timed against the physical limit (raw SQL, COPY, pandas) measured in the same run.

`python -m bench.run --scale small|full` generates, runs every scenario and writes
`bench/results.json` + `bench/RESULTS.md` (full) or `bench/out/` (small).
"""
