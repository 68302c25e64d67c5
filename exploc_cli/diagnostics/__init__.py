"""Territorial diagnostic and annual report: indicators by month and territory, with statistical secrecy.

- ``indicators``: every indicator, defined once with its French definition;
- ``compute`` (queries, one streamed pass of ``stream`` rows, a forked worker on large bases) and
  ``fold`` (one household's contribution): the counters of one or two periods;
- ``alerts_at`` and ``deadlines_at``: a household's alerts as they stood at a period's end (the
  rules of ``parcours.alerts``), from what ``history`` reads of the past (assignments,
  préconisations, imports);
- ``secrecy``: primary and secondary suppression of a table with its margins;
- ``tables``, ``assemble``, ``model``: the protected tables, headline figures and method;
- ``workbook`` (.xlsx with native charts), ``report`` and ``bilan`` (.docx from docxtpl
  templates, charts by ``charts``), ``objectives`` (the charte's objectives);
- ``service``: what the commands call.
"""
