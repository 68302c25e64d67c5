"""Rule cases written as data (« exploc regles tester »): ménage attributes → expected assignment.

In the manner of OpenFisca's YAML tests: each ``[[cas]]`` gives what is known of a ménage and
what the rules must decide. A case file may name the sectorisation table it was written for
(``sectorisation = "…csv"``, relative to the case file); otherwise the base's sectorisation is used.
"""

from __future__ import annotations

import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import ExplocError
from ..normalize.text import fold
from ..parcours import SocialFollowUp
from ..store.db import initialise_store, open_store, resolve_location
from .conditions import ATTRIBUTES, Kind, Value, parse_condition
from .engine import Outcome, decide
from .facts import MenageFacts
from .records import A_TRIER
from .rules import RuleSet
from .sectorisation import Sectorisation

DEFAULT_CASES_PATH = Path(__file__).resolve().parent / "cas_regles.toml"  # for the shipped rules
_ADDRESS_KEYS = ("voie", "numero")
_EXPECTED_KEYS = ("statut", "service", "unite", "regle", "partenaire", "referent")


class CasesFileError(ExplocError):
    """The case file cannot be read or is malformed."""


@dataclass(frozen=True, slots=True)
class CaseResult:
    name: str
    passed: bool
    outcome: Outcome
    differences: tuple[str, ...]  # French: « service : attendu CAF01, obtenu DEP01 »


def run_cases(
    path: Path, rules: RuleSet, base_sectors: Callable[[], Sectorisation], *, table: Path | None = None
) -> list[CaseResult]:
    """Run every case of ``path`` against ``rules`` (``table``: the sectorisation file to use)."""
    data = _read(path)
    if table is None and data.get("sectorisation"):
        table = path.parent / str(data["sectorisation"])
    sectors = _sectorisation_from_file(table) if table is not None else base_sectors()
    cases = data.get("cas")
    if not isinstance(cases, list) or not cases:
        raise CasesFileError(f"{path} : aucun cas [[cas]].")
    default_day = data.get("date", date.today())
    results = []
    for index, case in enumerate(cases, start=1):
        if not isinstance(case, dict):
            raise CasesFileError(f"{path} : [[cas]] n° {index} n'est pas une table.")
        name = str(case.get("nom", f"cas n° {index}"))
        day = case.get("date", default_day)
        facts = _facts(path, name, index, case)
        outcome = decide(facts, rules, sectors, day)
        expected = case.get("attendu")
        if not isinstance(expected, dict) or not expected:
            raise CasesFileError(f'{path}, {name} : « attendu » manquant (ex. attendu = {{ service = "CAF01" }}).')
        unknown = set(expected) - set(_EXPECTED_KEYS)
        if unknown:
            raise CasesFileError(
                f"{path}, {name} : attendu « {sorted(unknown)[0]} » inconnu (possibles : {', '.join(_EXPECTED_KEYS)})."
            )
        differences = tuple(_compare(expected, outcome))
        results.append(CaseResult(name, not differences, outcome, differences))
    return results


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise CasesFileError(f"Fichier de cas introuvable : {path}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise CasesFileError(f"{path} : lecture impossible ({err}).") from None
    except tomllib.TOMLDecodeError as err:
        raise CasesFileError(f"{path} : syntaxe TOML invalide ({err}).") from None


def _sectorisation_from_file(table: Path) -> Sectorisation:
    """The sectorisation of a table file, through a scratch base (the import's own checks apply)."""
    from .sectorisation_import import import_sectorisation

    with tempfile.TemporaryDirectory(prefix="exploc-cas-") as folder:
        location = resolve_location(str(Path(folder) / "cas.sqlite"))
        initialise_store(location)
        engine = open_store(location)
        try:
            import_sectorisation(engine, table)
            with engine.connect() as connection:
                return Sectorisation.load(connection)
        finally:
            engine.dispose()


def _facts(path: Path, name: str, index: int, case: dict[str, Any]) -> MenageFacts:
    menage = case.get("menage", {})
    if not isinstance(menage, dict):
        raise CasesFileError(f"{path}, {name} : « menage » doit être une table.")
    values: dict[str, Value] = {"deja_suivi": False, "alertes": frozenset()}
    for key, raw in menage.items():
        if key in _ADDRESS_KEYS:
            continue
        if key not in ATTRIBUTES:
            possible = ", ".join([*ATTRIBUTES, *_ADDRESS_KEYS])
            raise CasesFileError(f"{path}, {name} : attribut « {key} » inconnu (possibles : {possible}).")
        checked = []
        for item in raw if key == "alertes" and isinstance(raw, list) else [raw]:
            condition, errors = parse_condition(key, item, None)  # the same checks as a rule's value
            if errors or condition is None:
                raise CasesFileError(f"{path}, {name} : {'; '.join(errors)}")
            checked.append(condition.value)
        if key == "alertes":
            values[key] = frozenset(str(code) for code in checked)
            continue
        # texts are kept as written (rules fold both sides), the others as checked
        values[key] = str(raw) if ATTRIBUTES[key].kind is Kind.TEXT else checked[0]  # type: ignore[assignment]
    follow_up = None
    suivi = case.get("suivi")
    if isinstance(suivi, dict):
        values["deja_suivi"] = True
        follow_up = SocialFollowUp(suivi.get("service"), suivi.get("referent"), None, None, -index)
    return MenageFacts(
        menage_id=-index,
        values=values,
        follow_up=follow_up,
        commune=_text(menage.get("commune")),
        code_insee=_text(menage.get("code_insee")),
        voie=_text(menage.get("voie")),
        numero=_text(menage.get("numero")),
        bailleur=_text(menage.get("bailleur")),
        name=name,
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _compare(expected: dict[str, Any], outcome: Outcome) -> list[str]:
    obtained = {
        "statut": outcome.statut,
        "service": [outcome.service_code, outcome.service_libelle],
        "unite": [outcome.unite_code, outcome.unite_libelle],
        "regle": [outcome.rule_id],
        "partenaire": [outcome.partenaire],
        "referent": [outcome.referent],
    }
    differences = []
    for key, wanted in expected.items():
        got = obtained[key]
        if key == "statut":
            wanted_code = "a_trier" if fold(str(wanted)) in ("A TRIER", "A_TRIER") else str(wanted)
            if wanted_code != got:
                differences.append(f"statut : attendu {wanted}, obtenu {'à trier' if got == A_TRIER else got}")
            continue
        names = [fold(str(g)) for g in got if g]
        if (wanted in ("", None) and names) or (wanted not in ("", None) and fold(str(wanted)) not in names):
            shown = " / ".join(str(g) for g in got if g) or "rien"
            differences.append(f"{key} : attendu {wanted or 'rien'}, obtenu {shown}")
    if outcome.statut == A_TRIER and "statut" not in expected:
        differences.append(f"statut : à trier ({outcome.reason})")
    return differences
