"""The staff web pages under ``/staff``."""
