"""Household linkage: signalements grouped into ménages (keys → compare → cluster → service)."""
