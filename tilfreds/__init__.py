"""tilfreds: satisfaction measured against the employment plan's goals."""

from importlib.metadata import version

__version__ = version("tilfreds")  # pyproject.toml's, the one place it is written
