"""tilfreds: satisfaction measured against the employment plan's goals."""

__version__ = "0.1.0"
