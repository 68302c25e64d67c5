"""Check every Word template (the edited copy if there is one) by filling it with its sample context.

Used by ``exploc verifier``: a secretary who edited a template learns, in French, which file is
wrong and why (autocorrected quotes in a tag, unknown field with the valid ones, unclosed loop...),
before the day the documents of a session are produced.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .render import (
    ALL_TEMPLATE_NAMES,
    TemplateError,
    edited_copy_path,
    fill_loaded,
    load_template,
    quote_problems,
    template_path,
)
from .samples import SAMPLES


@dataclass(frozen=True)
class TemplateCheck:
    """The result of the trial filling of one template."""

    name: str
    path: Path
    edited_copy: bool
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def origin(self) -> str:
        return "copie modifiée" if self.edited_copy else "modèle fourni"

    @property
    def detail(self) -> str:
        verdict = "rempli sans erreur avec les données d'exemple" if self.ok else " | ".join(self.problems)
        return f"{self.origin} {self.path} : {verdict}"


def check_templates(config_dir: Path | None = None, names: Sequence[str] = ALL_TEMPLATE_NAMES) -> list[TemplateCheck]:
    """Fill every template (or those ``names``) in memory with its sample context, then with empty values."""
    checks = []
    for name in names:
        try:
            path = template_path(name, config_dir)
        except FileNotFoundError:  # an installation without its templates folder
            checks.append(TemplateCheck(name, Path("templates_docx") / f"{name}.docx", False, ("modèle introuvable",)))
            continue
        edited = path == edited_copy_path(name, config_dir)
        checks.append(TemplateCheck(name, path, edited, tuple(template_problems(path, SAMPLES[name]))))
    return checks


def template_check_rows(config_dir: Path | None = None) -> list[tuple[str, bool, str]]:
    """``(name, ok, detail)`` for each template, as ``exploc verifier`` lists its checks."""
    return [(f"modele {check.name}", check.ok, check.detail) for check in check_templates(config_dir)]


def template_problems(path: Path, sample: Mapping[str, Any]) -> list[str]:
    """Every problem of the template file ``path`` (empty when it fills correctly)."""
    try:
        template = load_template(path)
    except TemplateError as err:
        return err.problems
    problems = quote_problems(path)
    # the sample, then with empty texts and lists so that the « Aucun... » branches are filled too:
    # once keeping one element of each top-level list (the fiches, the decisions), once without
    hollow = {key: [_emptied(v) for v in value[:1]] if isinstance(value, list) else _emptied(value)
              for key, value in sample.items()}  # fmt: skip
    for context, is_sample in ((sample, True), (hollow, False), (_emptied(sample), False)):
        try:
            fill_loaded(template, path, context)
        except TemplateError as err:
            if (err.kind == "guillemets" and problems) or (err.kind == "indice" and not is_sample):
                continue  # already reported / an index into a list emptied on purpose
            problems.extend(problem for problem in err.problems if problem not in problems)
    return problems


def _emptied(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _emptied(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return []
    return "" if isinstance(value, str) else value
