"""The pure-Python engine: text, matching and scheduling algorithms.

Nothing here imports Django or reads settings: inputs are plain data, so that the
algorithms can be unit-tested and benchmarked on their own.
"""
