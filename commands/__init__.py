"""The Typer command layer of exploc: parse options, call one core function, render the report."""
