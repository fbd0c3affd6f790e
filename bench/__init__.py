"""Gofun's benchmarks: `make bench` runs them, prints figures, writes results.json."""
