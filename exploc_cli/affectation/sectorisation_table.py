"""Reading the sectorisation table a département maintains (CSV or spreadsheet), checking all of it.

One flat sheet, one row per (unit, commune) or (unit, commune, street[, numbers]); a service
without territorial units is a row with no unit and no commune. The project's readers handle
encodings, separators, workbooks and title rows. Every problem is collected and reported at
once (file, row, column); nothing is returned when there is one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import chain, islice
from pathlib import Path

from ..errors import SourceFileError
from ..importers.readers import ReadLimits, Sheet, read_sheets, sniff_format
from ..normalize.dates import parse_date
from ..normalize.departements import parse_departement
from ..normalize.identifiers import normalize_identifier, normalize_insee
from ..normalize.text import clean_spaces, normalize_header
from .sectorisation_keys import parse_numbers, service_type_code, street_key
from .sectorisation_rows import ParsedRow, Problem, SectorRow, ServiceRow, TableChecker, UnitRow

HEADER_SEARCH_ROWS = 30
MAX_SHOWN_PROBLEMS = 200


@dataclass(frozen=True)
class Column:
    field: str
    label: str  # the header of the sample file, and of the messages when the file lacks the column
    aliases: tuple[str, ...]
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("code_service", "Code service", ("Code du service", "Code_service", "Service (code)"), True),
    Column("service", "Service", ("Nom du service", "Nom service", "Libellé service", "Libellé du service"), True),
    Column("type_service", "Type service", ("Type de service", "Type du service", "Type_service"), True),
    Column("departement", "Département", ("Département du service", "Code département", "Dépt", "Dept")),
    Column("code_unite", "Code unité", ("Code de l'unité", "Code unité territoriale", "Code_unite", "Code UT"), True),
    Column("unite", "Unité", ("Nom de l'unité", "Unité territoriale", "Nom unité", "Libellé unité", "UT"), True),
    Column("type_unite", "Type unité", ("Type d'unité", "Type de l'unité", "Type_unite", "Type UT")),
    Column("code_insee", "Code INSEE", ("INSEE", "Code commune", "Code INSEE commune", "Code_insee", "COG")),
    Column("commune", "Commune", ("Nom de la commune", "Nom commune", "Ville", "Libellé commune"), True),
    Column("voie", "Voie", ("Rue", "Nom de voie", "Nom de la voie", "Adresse", "Libellé voie")),
    Column("numeros", "Numéros", ("N°", "Numéro", "Numéros de voie", "Tranche de numéros", "Tranche")),
    Column("valide_du", "Valide du", ("Valide à partir du", "Date de début", "Début", "Début de validité", "Du")),
    Column("valide_au", "Valide au", ("Valide jusqu'au", "Date de fin", "Fin", "Fin de validité", "Au")),
)
COLUMN_LABELS = tuple(c.label for c in COLUMNS)
_BY_HEADER: dict[str, Column] = {
    normalize_header(name): column for column in COLUMNS for name in (column.label, *column.aliases)
}


class SectorisationFileError(SourceFileError):
    """The sectorisation table has problems; ``problems`` lists every one (row, column, why)."""

    def __init__(self, path: str, problems: list[str]) -> None:
        shown = problems[:MAX_SHOWN_PROBLEMS]
        more = len(problems) - len(shown)
        lines = "\n".join(f"  - {p}" for p in shown) + (f"\n  … et {more} autre(s) erreur(s)." if more else "")
        super().__init__(
            path,
            f"{len(problems)} erreur(s) dans le tableau de sectorisation, rien n'a été importé :\n{lines}",
            hint="Corrigez le tableau, puis relancez : exploc services importer FICHIER",
        )
        self.problems = problems


@dataclass(frozen=True)
class ParsedTable:
    """A checked table, ready to be written."""

    fichier: str
    format: str
    lignes: int
    services: list[ServiceRow]
    units: list[UnitRow]
    sectors: list[SectorRow]

    @property
    def communes(self) -> int:
        """Distinct communes covered (by code INSEE, else by name)."""
        return len({s.code_insee or s.commune_cle for s in self.sectors})

    @property
    def voies(self) -> int:
        """Distinct streets with a sector of their own."""
        return len({(s.code_insee or s.commune_cle, s.voie_cle) for s in self.sectors if s.voie_cle})


@dataclass(frozen=True)
class _Header:
    row: int
    columns: dict[str, int]  # field → column index
    cells: list[str]

    @property
    def missing(self) -> list[str]:
        return [c.label for c in COLUMNS if c.required and c.field not in self.columns]


def read_table(path: Path) -> ParsedTable:
    """Read and check the whole table; :class:`SectorisationFileError` lists every problem."""
    display = str(path)
    if not path.is_file():
        raise SourceFileError(display, "fichier introuvable." if not path.exists() else "ce n'est pas un fichier.")
    fmt = sniff_format(path, display)
    incomplete: _Header | None = None
    for sheet in read_sheets(path, display, fmt, ReadLimits()):
        head = list(islice(sheet.rows, HEADER_SEARCH_ROWS))
        header = _header(head)
        if header is None:
            continue
        if header.missing:
            if incomplete is None or len(header.columns) > len(incomplete.columns):
                incomplete = header
            continue
        checker = _check_rows(sheet, head, header, display)
        services, units, sectors = checker.finish()
        if checker.problems:
            raise SectorisationFileError(display, [text for _, text in sorted(checker.problems, key=lambda p: p[0])])
        return ParsedTable(display, fmt.description, len(checker.rows), services, units, sectors)
    if incomplete is None:
        raise SourceFileError(
            display,
            "aucune ligne d'en-tête reconnue : une ligne du tableau doit nommer les colonnes ("
            + " ; ".join(COLUMN_LABELS)
            + ").",
        )
    missing = ", ".join(f"« {m} »" for m in incomplete.missing)
    shown = ", ".join(f"« {h.strip()} »" for h in incomplete.cells if h.strip())
    raise SectorisationFileError(
        display,
        [f"ligne {incomplete.row} (en-tête) : colonne(s) obligatoire(s) manquante(s) : {missing}. Trouvé : {shown}."],
    )


def _check_rows(sheet: Sheet, head: list[tuple[int, list[str]]], header: _Header, display: str) -> TableChecker:
    duplicates = _duplicates(header)
    if duplicates:
        raise SectorisationFileError(display, duplicates)
    prefix = f"feuille « {sheet.name} », " if sheet.name is not None else ""
    headers = {f: header.cells[i].strip() for f, i in header.columns.items()}
    checker = TableChecker()
    for line, cells in chain((r for r in head if r[0] > header.row), sheet.rows):
        values = {f: clean_spaces(cells[i]) if i < len(cells) else "" for f, i in header.columns.items()}
        if any(values.values()):
            checker.add(_parse_row(ParsedRow(line, f"{prefix}ligne {line}", headers), values, checker.problems))
    return checker


def _header(head: list[tuple[int, list[str]]]) -> _Header | None:
    """The row (among the first ones) that names the most known columns, two at least."""
    best: _Header | None = None
    for number, cells in head:
        columns: dict[str, int] = {}
        for index, cell in enumerate(cells):
            column = _BY_HEADER.get(normalize_header(cell)) if cell.strip() else None
            if column is not None:
                columns.setdefault(column.field, index)
        if len(columns) >= 2 and (best is None or len(columns) > len(best.columns)):
            best = _Header(number, columns, cells)
    return best


def _duplicates(header: _Header) -> list[str]:
    seen: dict[str, str] = {}
    problems = []
    for cell in header.cells:
        column = _BY_HEADER.get(normalize_header(cell)) if cell.strip() else None
        if column is None:
            continue
        if column.field in seen:
            problems.append(
                f"ligne {header.row} (en-tête) : les colonnes « {seen[column.field]} » et « {cell.strip()} » "
                f"désignent toutes deux « {column.label} » ; gardez-en une seule."
            )
        else:
            seen[column.field] = cell.strip()
    return problems


def _parse_row(row: ParsedRow, values: dict[str, str], problems: list[tuple[int, str]]) -> ParsedRow:
    def problem(column: str, text: str) -> None:
        problems.append((row.line, f"{row.at(column)} : {text}"))

    row.service_code = normalize_identifier(values["code_service"]) or None
    if row.service_code is None:
        problem("code_service", "code du service manquant.")
    row.service_nom = values["service"] or None
    kind = values["type_service"]
    if kind:
        row.service_type = service_type_code(kind)
        if row.service_type is None:
            row.bad_type = True
            problem(
                "type_service",
                f"type de service inconnu « {kind} » (types possibles : CAF, MSA, Département, bailleur, "
                "CCAS, association, autre).",
            )
    departement = values.get("departement", "")
    if departement:
        row.service_departement = parse_departement(departement)
        if row.service_departement is None:
            problem("departement", f"département inconnu « {departement} » (son numéro : 93, 2A, 974…).")
    row.unite_code = normalize_identifier(values["code_unite"]) or None
    row.unite_nom = values["unite"] or None
    row.unite_type = values.get("type_unite") or None
    insee = values.get("code_insee", "")
    if insee:
        try:
            row.code_insee = normalize_insee(insee)
        except ValueError:
            problem("code_insee", f"code INSEE invalide « {insee} » (5 caractères, par exemple 01053 ou 2A004).")
    row.commune = values["commune"] or None
    _parse_street(row, values, problem)
    row.valide_du = _date(values.get("valide_du", ""), "valide_du", problem)
    row.valide_au = _date(values.get("valide_au", ""), "valide_au", problem)
    if row.valide_du and row.valide_au and row.valide_au < row.valide_du:
        problem("valide_au", "la fin de validité précède son début.")
    _check_shape(row, bool(insee), problem)
    return row


def _parse_street(row: ParsedRow, values: dict[str, str], problem: Problem) -> None:
    voie, numbers = values.get("voie", ""), values.get("numeros", "")
    if voie:
        row.voie = voie
        row.voie_cle = street_key(voie) or None
        if row.voie_cle is None:
            problem("voie", f"voie illisible « {voie} ».")
    if numbers:
        if not voie:
            problem("numeros", "des numéros sans voie : indiquez la voie dans la colonne Voie.")
        try:
            row.numbers = parse_numbers(numbers)
        except ValueError as err:
            problem("numeros", str(err))


def _check_shape(row: ParsedRow, insee_written: bool, problem: Problem) -> None:
    """A unit needs a commune; a commune needs a unit; a named unit needs a code."""
    has_place = bool(row.commune or insee_written)
    if row.unite_code is None:
        if row.unite_nom:
            problem("code_unite", f"l'unité « {row.unite_nom} » n'a pas de code.")
        elif has_place or row.voie:
            problem(
                "code_unite",
                "commune sans unité : indiquez l'unité qui la couvre (ou laissez la commune vide pour un "
                "service sans unités territoriales).",
            )
    elif not has_place:
        problem(
            "commune", f"l'unité {row.unite_code} ne couvre aucune commune : indiquez la commune ou son code INSEE."
        )


def _date(value: str, column: str, problem: Problem) -> date | None:
    if not value:
        return None
    try:
        return parse_date(value)
    except ValueError:
        problem(column, f"date invalide « {value} » (attendu : JJ/MM/AAAA).")
        return None
