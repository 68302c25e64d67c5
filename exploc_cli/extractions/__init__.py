"""Nominative extractions for partners: column profiles, the extraction itself, pseudonyms."""
