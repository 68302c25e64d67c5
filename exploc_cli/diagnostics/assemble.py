"""Put a diagnostic together: the sections of the period, the headline figures (with the comparison
period's when asked), the « Synthèse » and « Évolution » sections and the method."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from ..normalize.dates import format_date_fr
from ..normalize.departements import label
from .compute import Computed
from .fold import Period
from .indicators import CHAIN, CHAIN_LABELS, INDICATORS, SOURCE_LABELS, SOURCES, STAGE_LABELS, STAGES
from .model import Chart, Diagnostic, Grid, Headline, Section, Value, evolution
from .tables import TableBuilder
from .territories import LEVELS, Territories

Labeller = Callable[[str], str]


def period_label(period: Period) -> str:
    return f"du {format_date_fr(period.du)} au {format_date_fr(period.au)}"


def assemble(
    computed: Computed,
    territories: Territories,
    threshold: int,
    *,
    generated: date,
    horizon: date,
    avis_labels: Labeller,
    destinataire_labels: Labeller,
    epci_file: str | None = None,
) -> Diagnostic:
    builders = [
        TableBuilder(counts, period, territories, threshold, avis_labels=avis_labels,
                     destinataire_labels=destinataire_labels)
        for counts, period in zip(computed.counts, computed.periods, strict=True)
    ]  # fmt: skip
    current = builders[0]
    previous = builders[1] if len(builders) > 1 else None
    comparison = computed.periods[1] if previous is not None else None
    headlines = tuple(
        Headline(label, value, before)
        for (label, value), before in zip(
            headline_values(current),
            [v for _, v in headline_values(previous)] if previous else [None] * len(headline_values(current)),
            strict=True,
        )
    )
    sections = [_synthesis(current, previous, headlines, comparison), *current.sections()]
    if previous is not None and comparison is not None:
        sections.append(_evolution(current, previous, computed.periods[0], comparison))
    primary = secondary = 0
    for builder in builders:
        for section in builder.sections():
            for grid in section.grids:
                if grid.protected is not None:
                    p, s = grid.protected.counts()
                    primary, secondary = primary + p, secondary + s
    concerned = sum(current.c.concerned.values())
    return Diagnostic(
        period=computed.periods[0],
        comparison=comparison,
        level=territories.level,
        level_label=LEVELS[territories.level],
        threshold=threshold,
        generated=generated,
        horizon=horizon,
        sections=tuple(sections),
        headlines=headlines,
        method=tuple((i.title, i.definition) for code, i in INDICATORS.items() if code != "objectifs"),
        notes=tuple(notes(threshold, computed, territories, horizon, epci_file)),
        households=concerned,
        masked=(primary, secondary),
    )


def headline_values(builder: TableBuilder) -> list[tuple[str, Value]]:
    """The headline figures of a period, taken from its protected tables."""

    def last(grid: Grid, column: int) -> Value:
        return grid.rows[-1][1][column] if grid.rows else Value(0, threshold=builder.threshold)

    stages = builder.stage_totals()
    signalements = builder.section("signalements").grids[0]
    known = builder.section("accompagnement").grids[0]
    debts = builder.section("parc_dette").grids[2]
    force = builder.section("force_publique").grids[0]
    commission = builder.section("commission").grids
    return [
        ("Ménages concernés", last(builder.concerned(), 0)),
        ("Signalements reçus", last(signalements, -1)),
        *[(CHAIN_LABELS[code], stages[STAGES.index(code)]) for code in CHAIN],
        ("Concours de la force publique accordés", last(force, 1)),
        ("Part des ménages assignés connus d'un service social avant l'assignation", last(known, 3)),
        ("Dette médiane (dernière dette déclarée)", last(debts, 1)),
        ("Ménages examinés en commission", last(commission[0], 0)),
        ("Préconisations émises", last(commission[2], 4)),
        ("Taux de réalisation des préconisations", last(commission[2], 5)),
    ]


def _synthesis(
    current: TableBuilder, previous: TableBuilder | None, headlines: Sequence[Headline], comparison: Period | None
) -> Section:
    columns: tuple[str, ...] = ("Période",)
    if previous is not None:
        columns = ("Période", "Comparaison", "Évolution")
    rows = []
    for headline in headlines:
        values: tuple[Value, ...] = (headline.value,)
        if previous is not None:
            values = (headline.value, headline.previous or Value(None), headline.evolution or Value(None, "evolution"))
        rows.append((headline.label, values))
    figures = Grid("menages_concernes", "Chiffres clés", "Indicateur", columns, tuple(rows))
    stages = current.stage_totals()
    chain_rows: list[tuple[str, tuple[Value, ...]]] = [
        (CHAIN_LABELS[code], (stages[STAGES.index(code)],)) for code in CHAIN
    ]
    chain_columns: tuple[str, ...] = ("Période",)
    if previous is not None:
        before = previous.stage_totals()
        chain_rows = [(label, (*values, before[STAGES.index(code)]))
                      for (label, values), code in zip(chain_rows, CHAIN, strict=True)]  # fmt: skip
        chain_columns = ("Période", "Comparaison")
    chain = Grid(
        "entrees_etape", "Ménages entrant dans les étapes de la chaîne", "Étape", chain_columns, tuple(chain_rows),
        chart=Chart("barres", "Ménages entrant dans les étapes de la procédure",
                    tuple(range(len(chain_columns)))),
    )  # fmt: skip
    intro = f"Période {period_label(current.period)}"
    if comparison is not None:
        intro += f", comparée à la période {period_label(comparison)}"
    return Section("synthese", "Synthèse", "Synthèse", intro + ".", (figures, chain, current.concerned()))


def _evolution(current: TableBuilder, previous: TableBuilder, period: Period, comparison: Period) -> Section:
    now, before = current.stage_totals(), previous.stage_totals()
    stages = Grid(
        "entrees_etape", "Ménages entrant à chaque étape : évolution", "Étape",
        ("Période", "Comparaison", "Évolution"),
        tuple((label, (a, b, evolution(a, b) or Value(None, "evolution")))
              for label, a, b in zip(STAGE_LABELS.values(), now, before, strict=True)),
        chart=Chart("barres", "Entrées dans chaque étape : période et comparaison", (0, 1)),
    )  # fmt: skip
    sources_now = _by_source(current)
    sources_before = _by_source(previous)
    sources = Grid(
        "signalements", "Signalements reçus par source : évolution", "Source", ("Période", "Comparaison", "Évolution"),
        tuple((SOURCE_LABELS[s], (sources_now[s], sources_before[s],
                                  evolution(sources_now[s], sources_before[s]) or Value(None, "evolution")))
              for s in SOURCES),
    )  # fmt: skip
    return Section("evolution", "Évolution", "Évolution entre les deux périodes",
                   f"Période {period_label(period)} comparée à la période {period_label(comparison)}.",
                   (stages, sources))  # fmt: skip


def _by_source(builder: TableBuilder) -> dict[str, Value]:
    grid = builder.section("signalements").grids[0]
    found = {source: Value(0, threshold=builder.threshold) for source in SOURCES}
    if grid.rows:
        labels = {label: source for source, label in SOURCE_LABELS.items()}
        for index, title in enumerate(grid.columns):
            if title in labels:
                found[labels[title]] = grid.rows[-1][1][index]
    return found


def notes(threshold: int, computed: Computed, territories: Territories, horizon: date, epci: str | None) -> list[str]:
    """What the document must say about its protection and its coverage."""
    scope = []
    if computed.departement is not None:
        scope.append(
            f"Périmètre : département {label(computed.departement)}. Seuls les signalements de ce département "
            "sont comptés (chaque étape là où elle a eu lieu : un ménage venu d'un autre département n'y compte "
            "que pour ses procédures d'ici) ; en commission, les ménages dont la dernière adresse connue est dans "
            "le département."
        )
    found = [
        *scope,
        f"Secret statistique : tout effectif de 1 à {threshold - 1} est remplacé par « < {threshold} ». Un zéro "
        "reste affiché : il ne désigne aucun ménage.",
        "Secret secondaire : dans chaque tableau, d'autres cases sont masquées (« secret » : une valeur cachée, "
        "qui peut être nulle, petite ou grande) pour qu'aucune case masquée ne puisse être retrouvée, ni encadrée "
        "à une seule valeur, à partir des totaux de ses lignes et de ses colonnes. Les effectifs repris dans "
        "plusieurs tableaux (ménages entrant à une étape, par territoire ou en tout ; ménages concernés ; ménages "
        "dont la dette est connue ; signalements par source) sont masqués partout dès qu'ils le sont dans l'un.",
        f"Un taux, une médiane ou un décile calculé sur moins de {threshold} ménages, ou dont un effectif est masqué, "
        "est masqué.",
        "Ce que la protection couvre : chaque tableau avec ses totaux (marges), pris isolément.",
        "Ce qu'elle ne couvre pas : le rapprochement de deux tableaux (le même effectif découpé autrement), de deux "
        "découpages territoriaux ou de deux périodes qui se recouvrent (« différenciation ») : ne diffusez pas "
        "ensemble des diagnostics qui se recouvrent, et ne recalculez pas de sous-totaux à partir de ces tableaux.",
        "Aucun nom, aucune adresse ni aucun numéro de ménage ne figure dans ce document.",
        f"Données au {format_date_fr(horizon)} : les actes datés après cette date (audiences déjà fixées) ne sont "
        "pas comptés.",
        f"Territoire : {LEVELS[territories.level].lower()}"
        + (f" (table des EPCI : {epci})" if epci else "")
        + ". Le territoire d'un ménage est celui de son dernier signalement qui donne une commune ; par unité, "
        "celui de son affectation actuelle.",
    ]
    if computed.purged:
        found.append(
            "Ménages purgés (durée de conservation passée) : leurs signalements et leurs entrées dans les étapes "
            "restent comptés, par mois entier (un ménage compte alors une fois par mois où il entre dans une "
            "étape) ; les passages entre étapes, délais, dettes et chiffres de la commission ne portent que sur "
            "les ménages encore en base."
        )
    if computed.unlinked:
        found.append(
            f"{computed.unlinked} signalement(s) pas encore regroupé(s) en ménages ne sont pas comptés "
            "(exploc menages lier)."
        )
    return found


__all__ = ["assemble", "headline_values", "notes", "period_label"]
