"""Superconnector: business matching and collaborative innovation for trade and technology events."""

__version__ = "0.1.0"
