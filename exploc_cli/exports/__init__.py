"""Nominative exports (CSV) of the store's content."""
