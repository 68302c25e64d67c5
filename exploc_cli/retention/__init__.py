"""Keeping data no longer than needed, and serving the households ' rights: purge, erasure, access, backups."""
