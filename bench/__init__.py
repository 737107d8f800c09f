"""Benchmarks (issue 7): cost per answer, analytics at national scale, send rate, footprint, demo seeding.

``make bench`` runs them all (``python -m bench``); ``python -m bench NAME …`` runs some. Each prints its
figures as ratios measured side by side in one run; ``bench/RESULTS.md`` records the latest ones.
"""
