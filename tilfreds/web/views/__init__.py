"""The ``/staff`` pages, one module per area."""
