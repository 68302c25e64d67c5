"""Assigning ménages to social services: sectorisation, editable rules, assignments and their history."""
