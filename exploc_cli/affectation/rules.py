"""The assignment rules file (TOML, French keys): reading, and every error at once with its line.

No expression is ever evaluated: a rule is data (conditions from a closed set of attributes and
operators, a target service), checked here before anything uses it.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..errors import ExplocError
from ..normalize.departements import parse_departement
from ..paths import ensure_private_dir
from .conditions import Condition, parse_condition
from .sectorisation_keys import period_label, valid_on

DEFAULT_RULES_PATH = Path(__file__).resolve().parent / "regles.toml"
RULES_FILE_NAME = "regles_affectation.toml"  # the département's copy, in the configuration folder

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_SERVICE_TYPES = ("caf", "msa", "departement", "bailleur", "ccas", "association", "autre")
_RULE_KEYS = {"id", "description", "reference", "valide_du", "valide_au", "si", "service", "unite", "partenaire"}
_TOP_KEYS = {"version", "titre", "regle", "partenaire"}


class RulesFileError(ExplocError):
    """The rules file cannot be read or holds errors (all of them are listed)."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        listed = "\n".join(f"  - {p}" for p in problems)
        super().__init__(
            f"{path} : {len(problems)} erreur(s) dans le fichier de règles :\n{listed}",
            hint="Corrigez le fichier puis relancez : exploc regles verifier",
        )


@dataclass(frozen=True, slots=True)
class Target:
    """Who a rule designates: a service code, the service of a type, the following service, the bailleur."""

    kind: str  # code | type | suivi | bailleur
    value: str | None = None
    unit: str | None = None  # None, "secteur" (the unit covering the address) or a unit code

    def label(self) -> str:
        base = {
            "code": f"service {self.value}",
            "type": f"service de type {self.value}",
            "suivi": "le service qui suit déjà le ménage",
            "bailleur": "le bailleur du ménage",
        }[self.kind]
        if self.unit == "secteur":
            return base + ", unité du secteur de l'adresse"
        return base + (f", unité {self.unit}" if self.unit else "")


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    description: str
    reference: str
    conditions: tuple[Condition, ...]
    target: Target
    partner: Target | None = None  # a complementary partner added when the rule fires
    valid_from: date | None = None
    valid_until: date | None = None
    line: int | None = None
    complementary: bool = False  # a [[partenaire]] rule: adds ``target`` as partner, never the service

    def valid_on(self, day: date) -> bool:
        return valid_on(day, self.valid_from, self.valid_until)

    def period_label(self) -> str:
        return period_label(self.valid_from, self.valid_until) or "sans limite de date"


@dataclass(frozen=True, slots=True)
class RuleSet:
    version: str
    title: str
    rules: tuple[Rule, ...]
    partners: tuple[Rule, ...]
    path: Path
    digest: str  # SHA-256 of the file: two files with one version name still differ
    # the départements with rules of their own (``regles_affectation_93.toml``), decided by them
    by_departement: Mapping[str, RuleSet] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """What assignments record: « charte-2023 (3f9a1c2b) », then each département's own rules."""
        own = "".join(f" ; {code} : {rules.label}" for code, rules in sorted(self.by_departement.items()))
        return f"{self.version} ({self.digest[:8]}){own}"

    def label_for(self, departement: str | None) -> str:
        """The version of the rules that decide a ménage of ``departement``: its own file's, else
        this file's (« charte-2023 (3f9a1c2b) »), as its assignment records it."""
        own = self.by_departement.get(departement) if departement is not None else None
        return own.label if own is not None else f"{self.version} ({self.digest[:8]})"

    @property
    def every_rule(self) -> tuple[Rule, ...]:
        """The rules and partner rules of this file and of the départements' own files."""
        found = (*self.rules, *self.partners)
        return found + tuple(r for own in self.by_departement.values() for r in own.every_rule)

    def find(self, rule_id: str) -> Rule | None:
        return next((r for r in self.every_rule if r.id == rule_id), None)


def load_rule_book(config_dir: Path, explicit: Path | None = None) -> RuleSet:
    """The rules in force (``rules_path``) with the départements' own rules found beside them.

    A département's rules are a complete rules file named after the main one and the
    département: ``regles_affectation_93.toml`` beside ``regles_affectation.toml`` (or
    ``regles_2027_93.toml`` beside ``--regles regles_2027.toml``). Its ménages are decided by it;
    the others by the main file.
    """
    main = rules_path(config_dir, explicit)
    loaded = load_rules(main)
    folder, stem = (main.parent, main.stem) if main != DEFAULT_RULES_PATH else (config_dir, Path(RULES_FILE_NAME).stem)
    own: dict[str, RuleSet] = {}
    for path in sorted(folder.glob(f"{stem}_*.toml")) if folder.is_dir() else ():
        written = path.stem[len(stem) + 1 :]
        code = parse_departement(written)
        if code is None:
            raise RulesFileError(
                path,
                [
                    f"le nom du fichier doit finir par un numéro de département ({stem}_93.toml) : "
                    f"« {written} » n'en est pas un"
                ],
            )
        if code in own:
            raise RulesFileError(path, [f"le département {code} a déjà ses règles : {own[code].path.name}"])
        own[code] = load_rules(path)
    return replace(loaded, by_departement=MappingProxyType(own)) if own else loaded


def departement_rules_path(config_dir: Path, code: str) -> Path:
    """Where a département's own rules go in the configuration folder."""
    return config_dir / f"{Path(RULES_FILE_NAME).stem}_{code}.toml"


def rules_path(config_dir: Path, explicit: Path | None = None) -> Path:
    """The rules in force: ``explicit``, else the département's copy in ``config_dir``, else the shipped default."""
    if explicit is not None:
        return explicit
    local = config_dir / RULES_FILE_NAME
    return local if local.exists() else DEFAULT_RULES_PATH


def copy_default_rules(config_dir: Path, departement: str | None = None) -> Path:
    """Copy the shipped rules into ``config_dir``, where they become the rules in force (never
    overwritten); with ``departement``, as that département's own rules."""
    target = config_dir / RULES_FILE_NAME if departement is None else departement_rules_path(config_dir, departement)
    if target.exists():
        raise ExplocError(f"{target} existe déjà : il n'est pas écrasé.", hint="Modifiez-le, ou supprimez-le d'abord.")
    ensure_private_dir(config_dir)
    target.write_bytes(DEFAULT_RULES_PATH.read_bytes())
    return target


def load_rules(path: Path) -> RuleSet:
    """Read and check ``path``; raises ``RulesFileError`` listing every problem with its line."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise RulesFileError(path, ["fichier introuvable"]) from None
    except OSError as err:
        raise RulesFileError(path, [f"lecture impossible ({err.strerror})"]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise RulesFileError(path, [f"le fichier doit être enregistré en UTF-8 (octet {err.start})"]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise RulesFileError(path, [_toml_error(err)]) from None
    lines = _Lines(text)
    problems: list[str] = []
    for key in data:
        if key not in _TOP_KEYS:
            problems.append(f"ligne {lines.top_key(key)} : clé « {key} » inconnue (possibles : {', '.join(_TOP_KEYS)})")
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        problems.append(f'ligne {lines.top_key("version")} : « version » manquante (ex. version = "2026-01")')
    rules = _rules(data.get("regle", []), "regle", lines, problems)
    partners = _rules(data.get("partenaire", []), "partenaire", lines, problems)
    if "regle" not in data:
        problems.append("aucune règle [[regle]] : il en faut au moins une")
    seen: dict[str, int | None] = {}
    for rule in (*rules, *partners):
        if rule.id in seen:
            problems.append(f"ligne {rule.line} : identifiant « {rule.id} » déjà utilisé ligne {seen[rule.id]}")
        seen.setdefault(rule.id, rule.line)
    if problems:
        raise RulesFileError(path, problems)
    return RuleSet(
        version=str(version).strip(),
        title=str(data.get("titre", "")),
        rules=tuple(rules),
        partners=tuple(partners),
        path=path,
        digest=hashlib.sha256(raw).hexdigest(),
    )


def _toml_error(err: tomllib.TOMLDecodeError) -> str:
    """tomllib's message in French: « ligne 12, colonne 5 : syntaxe TOML invalide (…) »."""
    message = str(err)
    found = re.search(r"\(at line (\d+), column (\d+)\)", message)
    detail = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
    where = f"ligne {found.group(1)}, colonne {found.group(2)} : " if found else ""
    return f"{where}syntaxe TOML invalide ({detail}) — vérifiez les guillemets, crochets et signes ="


def _rules(items: Any, section: str, lines: _Lines, problems: list[str]) -> list[Rule]:
    if not isinstance(items, list):
        problems.append(f"ligne {lines.top_key(section)} : écrivez chaque règle sous un en-tête [[{section}]]")
        return []
    found = []
    for index, item in enumerate(items):
        start = lines.header(section, index)
        if not isinstance(item, dict):
            problems.append(f"ligne {start} : [[{section}]] n° {index + 1} n'est pas une table")
            continue
        rule = _rule(item, section, index, start, lines, problems)
        if rule is not None:
            found.append(rule)
    return found


def _rule(
    item: dict[str, Any], section: str, index: int, start: int | None, lines: _Lines, problems: list[str]
) -> Rule | None:
    rule_id = item.get("id")
    name = f"règle « {rule_id} »" if isinstance(rule_id, str) else f"[[{section}]] n° {index + 1}"
    before = len(problems)

    def problem(key: str | None, message: str) -> None:
        line = lines.key_in(section, index, key) if key else start
        problems.append(f"ligne {line}, {name} : {message}")

    for key in item:
        if key not in _RULE_KEYS:
            problem(key, f"clé « {key} » inconnue (possibles : {', '.join(sorted(_RULE_KEYS))})")
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        problem("id" if "id" in item else None, "« id » manquant ou invalide (minuscules, chiffres, - ou _)")
    for key in ("description", "reference"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            problem(key if key in item else None, f"« {key} » manquante (texte)")
    valid_from, valid_until = item.get("valide_du"), item.get("valide_au")
    for key, value in (("valide_du", valid_from), ("valide_au", valid_until)):
        if value is not None and (not isinstance(value, date) or hasattr(value, "hour")):
            problem(key, f"« {key} » : date attendue sans guillemets, au format AAAA-MM-JJ (ex. 2026-01-01)")
    if isinstance(valid_from, date) and isinstance(valid_until, date) and valid_until < valid_from:
        problem("valide_au", "« valide_au » est avant « valide_du »")
    conditions: list[Condition] = []
    when = item.get("si", {})
    if not isinstance(when, dict):
        problem("si", "« si » attend une table, ex. si = { allocataire = true }")
    else:
        for attribute, raw in when.items():
            condition, errors = parse_condition(attribute, raw, lines.key_in(section, index, "si"))
            for error in errors:
                problem("si", error)
            if condition is not None:
                conditions.append(condition)
    complementary = section == "partenaire"
    target_key = "partenaire" if complementary else "service"
    target = _target(item.get(target_key), item.get("unite"), target_key, problem)
    partner = None
    if not complementary and "partenaire" in item:
        partner = _target(item["partenaire"], None, "partenaire", problem)
    if len(problems) > before or target is None:
        return None
    return Rule(
        id=str(rule_id),
        description=str(item["description"]).strip(),
        reference=str(item["reference"]).strip(),
        conditions=tuple(conditions),
        target=target,
        partner=partner,
        valid_from=valid_from,
        valid_until=valid_until,
        line=start,
        complementary=complementary,
    )


def _target(raw: Any, unit: Any, key: str, problem: Any) -> Target | None:
    """``"CAF01"``, ``"bailleur"``, ``{ type = "caf" }``, ``{ code = … }`` or ``{ origine = "suivi" }``, + ``unite``."""
    if raw is None:
        problem(None, f"« {key} » manquant : qui reçoit le ménage ?")
        return None
    if isinstance(raw, str):
        raw = {"type": "bailleur"} if raw.strip().lower() == "bailleur" else {"code": raw}
    if not isinstance(raw, dict):
        problem(key, f"« {key} » : un code entre guillemets ou une table {{ type = … }} attendu")
        return None
    unit = raw.get("unite", unit)
    extra = set(raw) - {"code", "type", "origine", "unite"}
    if extra:
        problem(key, f"« {key} » : clé « {sorted(extra)[0]} » inconnue (possibles : code, type, origine, unite)")
        return None
    if unit is not None and (not isinstance(unit, str) or not unit.strip()):
        problem(key, '« unite » : "secteur" ou le code d\'une unité attendu')
        return None
    if "origine" in raw:
        if raw["origine"] != "suivi":
            problem(key, f'« {key} » : origine = "suivi" est la seule origine possible')
            return None
        return Target("suivi", None, unit)
    if "type" in raw:
        kind = str(raw["type"]).strip().lower()
        if kind not in _SERVICE_TYPES:
            problem(key, f"« {key} » : type « {raw['type']} » inconnu (possibles : {', '.join(_SERVICE_TYPES)})")
            return None
        return (
            Target("bailleur", None, unit) if kind == "bailleur" and key == "partenaire" else Target("type", kind, unit)
        )
    code = raw.get("code")
    if not isinstance(code, str) or not code.strip():
        problem(key, f"« {key} » : code du service manquant")
        return None
    return Target("code", code.strip(), unit)


class _Lines:
    """Where things are in the TOML text (tomllib gives no positions): headers and keys by order."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers: dict[str, list[int]] = {}
        for number, line in enumerate(self.lines, start=1):
            found = re.match(r"\s*\[\[\s*([A-Za-z_]+)\s*\]\]", line)
            if found:
                self.headers.setdefault(found.group(1), []).append(number)

    def header(self, section: str, index: int) -> int | None:
        found = self.headers.get(section, [])
        return found[index] if index < len(found) else None

    def key_in(self, section: str, index: int, key: str) -> int | None:
        start = self.header(section, index)
        if start is None:
            return None
        following = [n for numbers in self.headers.values() for n in numbers if n > start]
        end = min(following, default=len(self.lines) + 1)
        pattern = re.compile(rf"\s*{re.escape(key)}\s*=")
        return next((n for n in range(start + 1, end) if pattern.match(self.lines[n - 1])), start)

    def top_key(self, key: str) -> int:
        """The line of a top-level key or table (1 when it is missing)."""
        pattern = re.compile(rf"\s*{re.escape(key)}\s*=|\s*\[\[?\s*{re.escape(key)}\s*\]")
        return next((n for n in range(1, len(self.lines) + 1) if pattern.match(self.lines[n - 1])), 1)
