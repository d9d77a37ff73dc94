"""Checks of what the metadata points to: do the resource URLs answer (``links.py``, ``run.py``)."""
