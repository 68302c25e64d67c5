"""The diagnostic's tables, built from one period's counters and protected by ``secrecy``.

Each family of indicators is a ``Section``; territory rows follow the level chosen (commune, EPCI,
unit or the whole département, which gives no territory rows). Tables that show the same count
(households entering a stage, by territory or in all) are protected together: a count masked in
one is masked in all of them (``TableBuilder.sections``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from ..normalize.vocabulary import EVENT_LABELS, EVENT_RANK
from .fold import Period, PeriodCounts
from .indicators import (
    ALERTS,
    CFP_COLUMNS,
    CHAIN,
    CHAIN_LABELS,
    DEBT_BANDS,
    JUGEMENT_VALUES,
    PAIRS,
    PARC_LABELS,
    PARCS,
    PRECONISATION_STATUTS,
    SHORT_LABELS,
    SOURCE_LABELS,
    SOURCES,
    STAGE_LABELS,
    STAGES,
)
from .model import (
    Chart,
    Grid,
    Section,
    Value,
    add_columns,
    count_grid,
    rate,
    statistic,
    sum_values,
)
from .territories import Territories

Labeller = Callable[[str], str]
# A count several tables show (households entering a stage in a territory, or in all: territory "*"):
# masked in one, it is masked in all, or the other tables would give it away.
Key = tuple[str, ...]
Cell = tuple[int, int]
_LINK_ROUNDS = 50
_CFP_STAGES: dict[str, Key] = {
    "demande": ("stage", "requisition_cfp"), "tentative": ("stage", "pv_tentative"),
    "expulsion": ("stage", "pv_expulsion"),
}  # fmt: skip


class TableBuilder:
    """Builds the sections of one period."""

    def __init__(
        self,
        counts: PeriodCounts,
        period: Period,
        territories: Territories,
        threshold: int,
        *,
        avis_labels: Labeller,
        destinataire_labels: Labeller,
    ) -> None:
        self.c = counts
        self.period = period
        self.territories = territories
        self.threshold = threshold
        self.avis_labels = avis_labels
        self.destinataire_labels = destinataire_labels
        keys = (
            set(counts.concerned) | {t for _, t in counts.entries} | set(counts.examined) | {t for _, t in counts.cfp}
        )
        self.keys = territories.ordered(keys) if territories.level != "departement" else []
        self.labels = [territories.label(key) for key in self.keys]
        self.by_territory = territories.level != "departement"
        self._sections: list[Section] | None = None
        self._concerned: Grid | None = None
        self._forced: dict[int, frozenset[Cell]] = {}  # table (by creation order) -> cells masked elsewhere
        self._seen: list[tuple[int, dict[Cell, Key], Grid]] = []

    # -- helpers ------------------------------------------------------------------------
    def _grid(self, code: str, title: str, corner: str, rows: Sequence[str], columns: Sequence[str],
              matrix: Sequence[Sequence[int]], *, row_totals: bool, col_totals: bool, chart: Chart | None = None,
              note: str = "", keys: dict[Cell, Key] | None = None) -> Grid:  # fmt: skip
        """A protected table; ``keys``: its cells that other tables show too."""
        index = len(self._seen)
        grid = count_grid(code, title, corner, rows, columns, matrix, self.threshold, row_totals=row_totals,
                          col_totals=col_totals, chart=chart, note=note,
                          forced=self._forced.get(index, frozenset()))  # fmt: skip
        self._seen.append((index, keys or {}, grid))
        return grid

    def _territory_grid(self, code: str, title: str, columns: Sequence[str], cell: Callable[[str, int], int], *,
                        additive: bool, chart: Chart | None = None, note: str = "",
                        column_keys: Sequence[Key | None] = (), total_key: Key | None = None) -> Grid:  # fmt: skip
        """Rows: territories (or one « Ensemble » row); ``additive``: the columns split the population.

        ``column_keys``: what each column counts when other tables count it too (the territory is
        added to the key); ``total_key``: the same for the « Total » column of an additive table.
        """
        keys: dict[Cell, Key] = {}
        territories = self.keys if self.by_territory else [self.territories.single]
        labelled = [(r, t) for r, t in enumerate(territories)] + (
            [(len(territories), "*")] if self.by_territory else []
        )
        families = list(column_keys) + [None] * (len(columns) - len(column_keys))
        if additive:
            families.append(total_key)
        for r, territory in labelled:
            for c, family in enumerate(families):
                if family is not None:
                    keys[(r, c)] = (*family, territory if self.by_territory else "*")
        matrix = [[cell(key, c) for c in range(len(columns))] for key in territories]
        if self.by_territory:
            return self._grid(code, title, self.territories.level_title, self.labels, columns, matrix,
                              row_totals=additive, col_totals=True, chart=chart, note=note, keys=keys)  # fmt: skip
        return self._grid(code, title, "", ["Ensemble du territoire"], columns, matrix, row_totals=additive,
                          col_totals=False, chart=chart, note=note, keys=keys)  # fmt: skip

    # -- sections -----------------------------------------------------------------------
    def sections(self) -> list[Section]:
        """The sections, their tables protected together: a count masked in one table is masked in
        every table that shows it, and each of those tables is protected again, until nothing changes."""
        if self._sections is None:
            for _ in range(_LINK_ROUNDS):
                self._seen = []
                built = self._build()
                masked = {
                    key for _, keys, grid in self._seen for cell, key in keys.items()
                    if grid.protected is not None and grid.protected.masked(*cell)
                }  # fmt: skip
                forced = {
                    index: frozenset(cell for cell, key in keys.items() if key in masked)
                    for index, keys, _ in self._seen
                }
                forced = {index: cells for index, cells in forced.items() if cells}
                if forced == self._forced:
                    break
                self._forced = forced
            self._sections = built
        return self._sections

    def section(self, code: str) -> Section:
        return next(section for section in self.sections() if section.code == code)

    def _build(self) -> list[Section]:
        self._concerned = self._territory_grid(
            "menages_concernes", "Ménages concernés", ["Ménages concernés"],
            lambda key, _: self.c.concerned.get(key, 0), additive=False, column_keys=[("concerned",)],
        )  # fmt: skip
        return [
            self.signalements(),
            self.stages(),
            self.flows(),
            self.support(),
            self.parc_and_debt(),
            self.force(),
            self.commission(),
            self.alerts(),
        ]

    def concerned(self) -> Grid:
        self.sections()
        assert self._concerned is not None
        return self._concerned

    def signalements(self) -> Section:
        months = self.period.months()
        by_month: dict[tuple[str, str], int] = {}
        by_stage: dict[tuple[str, str], int] = {}
        for (source, month, code), n in self.c.signalements.items():
            by_month[(month, source)] = by_month.get((month, source), 0) + n
            by_stage[(code, source)] = by_stage.get((code, source), 0) + n
        sources = [s for s in SOURCES if any(k[1] == s for k in by_month)] or list(SOURCES[:1])
        source_labels = [SOURCE_LABELS.get(s, s) for s in sources]
        totals: dict[Cell, Key] = {(len(months), c): ("source", s) for c, s in enumerate(sources)}
        totals[(len(months), len(sources))] = ("signalements",)
        monthly = self._grid(
            "signalements", "Signalements reçus par mois et par source", "Mois", [month_label(m) for m in months],
            source_labels, [[by_month.get((m, s), 0) for s in sources] for m in months], row_totals=True,
            col_totals=True,
            chart=Chart("lignes", "Signalements reçus par mois", (len(sources),), y_title="Signalements"),
            keys=totals,
        )  # fmt: skip
        codes = sorted({code for code, _ in by_stage}, key=lambda c: (EVENT_RANK.get(c, 0) == 0, EVENT_RANK.get(c, 0)))
        staged = self._grid(
            "signalements", "Signalements reçus par étape de leur acte principal et par source", "Étape",
            [EVENT_LABELS.get(c, c) for c in codes], source_labels,
            [[by_stage.get((c, s), 0) for s in sources] for c in codes], row_totals=True, col_totals=True,
            chart=Chart("barres_empilees", "Signalements par étape et par source", tuple(range(len(sources))),
                        y_title="Signalements"),
            keys={(len(codes), c): key for (_, c), key in totals.items()},
        )  # fmt: skip
        intro = "Ce que les partenaires ont transmis pendant la période, par source."
        return Section("signalements", "Signalements", "Signalements reçus des partenaires", intro, (monthly, staged))

    def stages(self) -> Section:
        months = self.period.months()
        chain_columns = tuple(STAGES.index(code) for code in CHAIN)
        monthly = self._grid(
            "entrees_etape", "Ménages entrant à chaque étape, par mois", "Mois", [month_label(m) for m in months],
            list(STAGE_LABELS.values()), [[self.c.entries_month.get((s, m), 0) for s in STAGES] for m in months],
            row_totals=False, col_totals=True,
            chart=Chart("lignes", "Entrées dans les étapes de la procédure, par mois", chain_columns),
            keys={(len(months), c): ("stage", code, "*") for c, code in enumerate(STAGES)},
        )  # fmt: skip
        grids = [monthly]
        if self.by_territory:
            grids.append(self._territory_grid(
                "entrees_etape", "Ménages entrant à chaque étape, par territoire", list(STAGE_LABELS.values()),
                lambda key, c: self.c.entries.get((STAGES[c], key), 0), additive=False,
                column_keys=[("stage", code) for code in STAGES],
            ))  # fmt: skip
        sens = list(JUGEMENT_VALUES)
        grids.append(self._territory_grid(
            "jugements", "Décisions de justice par sens", list(JUGEMENT_VALUES.values()),
            lambda key, c: self.c.jugements.get((sens[c], key), 0), additive=True,
            chart=Chart("barres", "Décisions de justice par sens", (-1,), orientation="columns"),
            total_key=("stage", "jugement"),
        ))  # fmt: skip
        return Section("etapes", "Étapes", "Les étapes de la procédure",
                       "Ménages entrant à chaque étape pendant la période.", tuple(grids))  # fmt: skip

    def flows(self) -> Section:
        labels = [f"{SHORT_LABELS[a]} → {SHORT_LABELS[b]}" for a, b in PAIRS]
        totals = [[sum(n for (p, _, passed), n in self.c.flows.items() if p == index and passed is flag)
                   for flag in (True, False)] for index in range(len(PAIRS))]  # fmt: skip
        grid = self._grid(
            "flux", "Passages d'une étape à la suivante", "Étapes", labels, ["Passés", "Pas (encore) passés"], totals,
            row_totals=True, col_totals=False,
            chart=Chart("barres_empilees", "Ménages entrés à chaque étape de la chaîne et passés à la suivante",
                        (0, 1)),
            keys={(index, 2): ("stage", start, "*") for index, (start, _) in enumerate(PAIRS)},
        )  # fmt: skip
        rates = [rate(values[0], values[2], self.threshold) for _, values in grid.rows]
        delays = [self.c.delays.get(index, []) for index in range(len(PAIRS))]
        medians = [statistic(d, 0.5, "jours", self.threshold, values[0]) for d, (_, values) in zip(delays, grid.rows,
                   strict=True)]  # fmt: skip
        deciles = [statistic(d, 0.9, "jours", self.threshold, values[0]) for d, (_, values) in zip(delays, grid.rows,
                   strict=True)]  # fmt: skip
        grid = add_columns(grid, ["Taux de passage", "Délai médian", "Délai, 9e décile"], [rates, medians, deciles])
        grid = _renamed(grid, columns={2: "Entrés"})
        grids = [grid]
        if self.by_territory:
            for index, label in enumerate(labels):
                table = self._territory_grid(
                    "flux", f"Passages {label}, par territoire", ["Passés", "Pas (encore) passés"],
                    self._flow_cell(index), additive=True, total_key=("stage", PAIRS[index][0]),
                )  # fmt: skip
                table = add_columns(table, ["Taux de passage"],
                                    [[rate(v[0], v[2], self.threshold) for _, v in table.rows]])  # fmt: skip
                grids.append(replace(_renamed(table, columns={2: "Entrés"}), detail=True))
        return Section("flux", "Flux et délais", "Flux et délais entre les étapes",
                       "De quelle part des ménages entrés à une étape la procédure va-t-elle à l'étape suivante, "
                       "et en combien de temps ?", tuple(grids))  # fmt: skip

    def _flow_cell(self, pair: int) -> Callable[[str, int], int]:
        return lambda key, column: self.c.flows.get((pair, key, column == 0), 0)

    def support(self) -> Section:
        known = self._territory_grid(
            "connus_avant_assignation", "Ménages assignés : connus d'un service social avant l'assignation",
            ["Connus", "Non connus"], lambda key, c: self.c.known.get((key, c == 0), 0), additive=True,
            chart=Chart("barres", "Part des ménages assignés connus d'un service social", (3,), y_title="Part"),
            total_key=("stage", "assignation"),
        )  # fmt: skip
        known = add_columns(known, ["Part connus"], [[rate(v[0], v[2], self.threshold) for _, v in known.rows]])
        services = sorted(
            {(s, u) for s, u, _ in self.c.services}, key=lambda su: (su[0] in ("À trier", "Sans affectation"), su)
        )
        parcs = list(PARCS)
        grid = self._grid(
            "services", "Ménages concernés par service et unité", "Service — unité",
            [f"{s} — {u}" if u else s for s, u in services], [PARC_LABELS[p] for p in parcs],
            [[self.c.services.get((s, u, p), 0) for p in parcs] for s, u in services], row_totals=True,
            col_totals=True, chart=Chart("barres_empilees", "Ménages concernés par service et unité", (0, 1, 2)),
            keys={(len(services), len(parcs)): ("concerned", "*")},
        )  # fmt: skip
        intro = "Les ménages connus des services sociaux, et ceux que suit chaque service."
        return Section("accompagnement", "Accompagnement", "Accompagnement social", intro, (known, grid))

    def parc_and_debt(self) -> Section:
        parcs = list(PARCS)
        stage_parc = self._grid(
            "parc", "Ménages entrant à chaque étape, par parc", "Étape", list(STAGE_LABELS.values()),
            [PARC_LABELS[p] for p in parcs], [[self.c.entries_parc.get((s, p), 0) for p in parcs] for s in STAGES],
            row_totals=True, col_totals=False,
            chart=Chart("barres_empilees", "Entrées dans chaque étape, parc public et parc privé", (0, 1, 2)),
            keys={(index, len(parcs)): ("stage", code, "*") for index, code in enumerate(STAGES)},
        )  # fmt: skip
        bands = self._territory_grid(
            "dette", "Dernière dette déclarée dans la période, par tranche", [b[0] for b in DEBT_BANDS],
            lambda key, c: self.c.debt_bands.get((c, key), 0), additive=True,
            chart=Chart("barres", "Ménages par tranche de dette", (-1,), orientation="columns"),
            total_key=("debt",),
        )  # fmt: skip
        keys = self.keys if self.by_territory else [self.territories.single]
        debts = [self.c.debts.get(key, []) for key in keys]
        counts = self._territory_grid(
            "dette", "Dette médiane et 9e décile", ["Ménages dont la dette est connue"],
            lambda key, _: len(self.c.debts.get(key, [])), additive=False, column_keys=[("debt",)],
        )  # fmt: skip
        everything = [amount for values in debts for amount in values]
        columns = [debts + ([everything] if counts.total_rows else [])]
        medians = [statistic(d, 0.5, "euros", self.threshold, row[1][0]) for d, row in zip(columns[0], counts.rows,
                   strict=True)]  # fmt: skip
        deciles = [statistic(d, 0.9, "euros", self.threshold, row[1][0]) for d, row in zip(columns[0], counts.rows,
                   strict=True)]  # fmt: skip
        stats = add_columns(counts, ["Dette médiane", "Dette, 9e décile"], [medians, deciles])
        intro = "Le parc des ménages à chaque étape et le montant de leur dette."
        return Section("parc_dette", "Parc et dette", "Parc du logement et dette locative", intro,
                       (stage_parc, bands, stats))  # fmt: skip

    def force(self) -> Section:
        keys = list(CFP_COLUMNS)
        grid = self._territory_grid(
            "cfp", "Concours de la force publique et expulsions", list(CFP_COLUMNS.values()),
            lambda key, c: self.c.cfp.get((keys[c], key), 0), additive=False,
            chart=Chart("barres", "Concours de la force publique et expulsions", (-1,), orientation="columns"),
            column_keys=[_CFP_STAGES.get(column) for column in keys],
        )  # fmt: skip
        return Section("force_publique", "Force publique", "Concours de la force publique et expulsions",
                       "Demandes de concours, décisions du préfet et expulsions effectives.", (grid,))  # fmt: skip

    def commission(self) -> Section:
        examined = self._territory_grid(
            "commission", "Ménages examinés en commission", ["Ménages examinés"],
            lambda key, _: self.c.examined.get(key, 0), additive=False,
        )  # fmt: skip
        avis = sorted(self.c.avis, key=lambda a: (a == "", self.avis_labels(a)))
        avis_grid = self._grid(
            "commission", "Avis rendus par type", "Avis", [self.avis_labels(a) if a else "Pas encore d'avis"
                                                           for a in avis],
            ["Examens"], [[self.c.avis[a]] for a in avis], row_totals=False, col_totals=True,
        )  # fmt: skip
        destinataires = sorted({d for d, _ in self.c.preconisations}, key=self.destinataire_labels)
        statuts = list(PRECONISATION_STATUTS)
        preconisations = self._grid(
            "preconisations", "Préconisations émises, par destinataire et selon leur suivi", "Destinataire",
            [self.destinataire_labels(d) for d in destinataires], list(PRECONISATION_STATUTS.values()),
            [[self.c.preconisations.get((d, s), 0) for s in statuts] for d in destinataires], row_totals=True,
            col_totals=True,
            chart=Chart("barres_empilees", "Préconisations et leur suivi", tuple(range(len(statuts)))),
        )  # fmt: skip
        done = [rate(values[0], sum_values(values[0:2], self.threshold), self.threshold)
                for _, values in preconisations.rows]  # fmt: skip
        preconisations = add_columns(preconisations, ["Taux de réalisation"], [done])
        intro = f"Séances tenues pendant la période : {self.c.seances}."
        return Section("commission", "Commission", "Les examens de la commission", intro,
                       (examined, avis_grid, preconisations))  # fmt: skip

    def alerts(self) -> Section:
        codes = list(ALERTS)
        grid = self._territory_grid(
            "alertes", "Ménages en alerte à la fin de la période", list(ALERTS.values()),
            lambda key, c: self.c.alerts.get((codes[c], key), 0), additive=False,
            chart=Chart("barres", "Ménages en alerte, par signal", (-1,), orientation="columns"),
        )  # fmt: skip
        return Section("alertes", "Alertes", "Signaux d'alerte",
                       "Les signaux d'alerte des parcours, à la fin de la période.", (grid,))  # fmt: skip

    def stage_totals(self) -> list[Value]:
        """Households entering each stage (protected, the « Total » column of the stage × parc table)."""
        grid = self.section("parc_dette").grids[0]
        return [grid.rows[index][1][-1] for index in range(len(STAGES))]


def _renamed(grid: Grid, *, columns: dict[int, str]) -> Grid:
    titles = tuple(columns.get(index, title) for index, title in enumerate(grid.columns))
    return Grid(grid.code, grid.title, grid.corner, titles, grid.rows, grid.total_rows, grid.chart, grid.note,
                grid.protected)  # fmt: skip


def month_label(month: str) -> str:
    """« 2025-03 » → « 03/2025 »."""
    return f"{month[5:7]}/{month[:4]}"


__all__ = ["CHAIN_LABELS", "TableBuilder", "month_label"]
