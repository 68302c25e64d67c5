"""Households: finding, following and explaining them (the core of « exploc menages »)."""
