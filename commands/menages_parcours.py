"""``exploc menages afficher`` and ``exploc menages lister``: one ménage's parcours, or every ménage in a line."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from exploc_cli.normalize.dates import format_date_fr
from exploc_cli.parcours import Echeance, Parcours, TimelineEvent, load_parcours
from exploc_cli.parcours.alerts import euros
from exploc_cli.parcours.listing import list_menages, summary_to_json
from exploc_cli.parcours.report import (
    LANDLORD_TYPE_LABELS,
    PARC_LABELS,
    assignment_origin,
    closing_label,
    parcours_to_json,
    person_name,
)
from exploc_cli.parcours.service import MenageSummary

from ._console import console, print_json
from ._errors import domain_errors
from ._options import (
    AlerteOption,
    AuOption,
    BailleurOption,
    CommuneOption,
    DepartementOption,
    DetteMaxOption,
    DetteMinOption,
    DuOption,
    EtapeOption,
    JsonOption,
    ParcOption,
    ServiceOption,
    StatutOption,
    build_filters,
)
from ._state import state

MenageArg = Annotated[int, typer.Argument(metavar="MENAGE", help="Numéro du ménage.")]


def afficher(ctx: typer.Context, menage: MenageArg, json_output: JsonOption = False) -> None:
    """Afficher le parcours d'un ménage : identité, logement, événements datés, dette, étape, échéance, alertes.

    Un numéro de ménage réuni à un autre mène à celui-ci, et la sortie le dit.

    Exemples :
      exploc menages afficher 42
      exploc menages afficher 42 --json
    """
    app_state = state(ctx)
    with domain_errors(), app_state.engine().connect() as connection:
        parcours = load_parcours(connection, menage, date.today(), app_state.settings)
    if json_output:
        print_json(parcours_to_json(parcours))
        return
    render_parcours(parcours)


def lister(
    ctx: typer.Context,
    etape: EtapeOption = None,
    alerte: AlerteOption = None,
    commune: CommuneOption = None,
    bailleur: BailleurOption = None,
    parc: ParcOption = None,
    dette_min: DetteMinOption = None,
    dette_max: DetteMaxOption = None,
    du: DuOption = None,
    au: AuOption = None,
    statut: StatutOption = None,
    service: ServiceOption = None,
    departement: DepartementOption = None,
    limite: Annotated[int | None, typer.Option("--limite", min=1, help="Nombre de ménages au plus.")] = None,
    json_output: JsonOption = False,
) -> None:
    """Lister les ménages, un par ligne : étape actuelle, dernière dette, alertes, prochaine échéance.

    --etape porte sur l'étape actuelle, --dette-min et --dette-max sur la dernière dette connue,
    --du et --au sur la date du dernier événement, --service sur l'affectation actuelle.

    Exemples :
      exploc menages lister --etape cql --alerte inconnu_social
      exploc menages lister --service a-trier
      exploc menages lister --commune 01000 --dette-min 3000 --statut ouvert --limite 50
    """
    app_state = state(ctx)
    with domain_errors():
        filters = build_filters(
            etape=etape,
            commune=commune,
            bailleur=bailleur,
            parc=parc,
            dette_min=dette_min,
            dette_max=dette_max,
            du=du,
            au=au,
            alerte=alerte,
            statut=statut,
            service=service,
            departement=departement,
        )
        with app_state.engine().connect() as connection:
            listing = list_menages(connection, date.today(), app_state.settings, filters, limit=limite)
    if json_output:
        print_json([summary_to_json(s) for s in listing.menages])
        return
    if not listing.menages:
        console.print("Aucun ménage ne correspond.")
        return
    console.print(_summary_table(listing.menages))
    shown = len(listing.menages)
    more = f" ({shown} affiché(s) : --limite)" if shown < listing.total else ""
    console.print(f"{listing.total} ménage(s){more}.", markup=False)


def _summary_table(summaries: tuple[MenageSummary, ...]) -> Table:
    table = Table()
    table.add_column("Ménage", no_wrap=True)
    table.add_column("Personnes", overflow="fold")
    table.add_column("Commune", min_width=15, overflow="fold")
    table.add_column("Parc")
    table.add_column("Bailleur", overflow="fold")
    table.add_column("Étape actuelle", min_width=16, overflow="fold")
    table.add_column("Depuis le", no_wrap=True)
    table.add_column("Dette", justify="right", no_wrap=True)
    table.add_column("Dernier évén.", no_wrap=True)
    table.add_column("Alertes", min_width=20)
    assigned = any(s.affectation for s in summaries)  # the column only once exploc affecter has run
    if assigned:
        table.add_column("Service", overflow="fold")
    table.add_column("Prochaine échéance", overflow="fold")
    for s in summaries:
        first, second = (" ".join(p for p in parts if p) for parts in ((s.nom, s.prenoms), (s.nom2, s.prenoms2)))
        names = " et ".join(n for n in (first, second) if n)
        deadline = f"{_day(s.next_deadline)} {s.next_deadline_label}" if s.next_deadline else ""
        service = [Text(s.affectation.label if s.affectation else "")] if assigned else []
        table.add_row(
            str(s.menage_id) + (" (clos)" if s.statut == "clos" else ""),
            Text(names),
            Text(s.commune or ""),
            s.parc or "",
            Text(s.bailleur or ""),
            s.stage_label or "",
            _day(s.stage_date),
            euros(s.dette) if s.dette is not None else "",
            _day(s.last_event_date),
            "\n".join(s.alerts),
            *service,
            deadline,
        )
    return table


def _day(day: date | None) -> str:
    return format_date_fr(day) if day else ""


def _line(label: str, value: str) -> None:
    if value:
        console.print(Text.assemble(f"  {label:<14}", value))


def render_parcours(parcours: Parcours, *, short: bool = False) -> None:
    """The parcours as French text and tables; ``short``: header, events, stage, deadline, alerts only."""
    timeline = parcours.timeline
    household = timeline.household
    status = timeline.statut + (" — rouvert" if timeline.reopened else "")
    console.print(Text.assemble((f"Ménage {parcours.menage_id}", "bold"), f" — {household.display_name} ({status})"))
    if parcours.redirected_from is not None:
        console.print(
            f"Le ménage n° {parcours.redirected_from} a été réuni au ménage n° {parcours.menage_id} : "
            "voici ce dernier.",
            markup=False,
        )
    if not short:
        _render_identity(parcours)
    _render_events(parcours, collapse=short)
    _render_debts(parcours)
    episode = timeline.current_episode
    console.print()
    if episode is not None and episode.stage_label:
        ended = f" — épisode terminé : {episode.closed_because}" if episode.closed_because else ""
        console.print(
            f"Étape actuelle : {episode.stage_label}, le {_day(episode.stage_date)} (épisode {episode.number}){ended}",
            markup=False,
        )
    else:
        console.print("Étape actuelle : aucun acte de procédure connu.")
    _render_deadline(parcours.next_echeance)
    if parcours.alerts:
        console.print("Alertes :", style="bold")
        for alert in parcours.alerts:
            console.print(Text.assemble("  • ", (alert.label, "bold"), f" ({alert.code}) : {alert.evidence}"))
    else:
        console.print("Alertes : aucune.")
    if not short:
        _render_follow(parcours)


def _render_identity(parcours: Parcours) -> None:
    household = parcours.timeline.household
    console.print("\nIdentité et composition", style="bold")
    holder = person_name(household.civilite, household.nom, household.prenoms)
    if household.nom_naissance and household.nom_naissance != household.nom:
        holder += f" (né(e) {household.nom_naissance})"
    if household.date_naissance:
        holder += f", né(e) le {_day(household.date_naissance)}"
    _line("Titulaire", holder)
    _line("Conjoint", person_name(household.civilite2, household.nom2, household.prenoms2))
    _line("Enfants", "" if household.enfants is None else str(household.enfants))
    _line("Situation", household.situation_familiale or "")
    if household.numero_allocataire:
        organisme = (household.organisme or "").upper()
        aide = f", aide {euros(household.montant_aide)} par mois" if household.montant_aide else ""
        tiers = ", tiers payant" if household.tiers_payant else ""
        _line("Allocataire", f"{organisme} n° {household.numero_allocataire}{aide}{tiers}".strip())
    _line("Téléphone", household.telephone or "")
    console.print("\nLogement", style="bold")
    landlord = household.bailleur or ""
    if household.type_bailleur:
        landlord += f" ({LANDLORD_TYPE_LABELS.get(household.type_bailleur, household.type_bailleur)})"
    if household.parc:
        landlord += f", {PARC_LABELS.get(household.parc, household.parc)}"
    _line("Bailleur", landlord.strip(", "))
    lease = []
    if household.numero_logement:
        lease.append(f"logement {household.numero_logement}")
    if household.date_bail:
        lease.append(f"bail du {_day(household.date_bail)}")
    _line("Bail", " ; ".join(lease))
    rent = []
    if household.loyer:
        rent.append(f"{euros(household.loyer)} hors charges")
    if household.charges:
        rent.append(f"{euros(household.charges)} de charges")
    if household.loyer_charges:
        rent.append(f"{euros(household.loyer_charges)} charges comprises")
    _line("Loyer", " ; ".join(rent))
    if parcours.timeline.addresses:
        table = Table(
            "Adresse", "Premier signalement", "Dernier signalement", "Sources", title="Adresses", title_justify="left"
        )
        for span in parcours.timeline.addresses:
            table.add_row(Text(span.label), _day(span.first_seen), _day(span.last_seen), ", ".join(span.sources))
        console.print()
        console.print(table)


def _event_row(table: Table, event: TimelineEvent, repeated: int = 1) -> None:
    label = event.label + (f" : {event.value_label}" if event.value_label else "")
    if event.future:
        label += " (à venir)"
    if repeated > 1:
        label += f" (×{repeated})"
    table.add_row(
        _day(event.date),
        event.source,
        label,
        euros(event.dette) if event.dette is not None else "",
        euros(event.loyer) if event.loyer is not None else "",
    )


def _same(a: TimelineEvent, b: TimelineEvent) -> bool:
    return (a.date, a.code, a.source, a.value, a.dette) == (b.date, b.code, b.source, b.value, b.dette)


def _render_events(parcours: Parcours, *, collapse: bool = False) -> None:
    """The events, grouped by episode; ``collapse``: the same act reported twice shows once (×2)."""
    timeline = parcours.timeline
    if not timeline.events:
        console.print("\nAucun événement daté.")
        return
    groups: list[tuple[str, list[TimelineEvent]]] = []
    before = [e for e in timeline.events if e.episode == 0]
    if before:
        groups.append(("Avant toute procédure", before))
    for episode in timeline.episodes:
        end = f" au {_day(episode.end)}" if episode.end != episode.start else ""
        closed = f" ; terminé : {episode.closed_because}" if episode.closed_because else ""
        title = f"Épisode {episode.number} : du {_day(episode.start)}{end} ({episode.opened_because}{closed})"
        groups.append((title, list(timeline.events_of_episode(episode.number))))
    for title, events in groups:
        table = Table("Date", "Source", "Étape / événement", "Dette", "Loyer", title=title, title_justify="left")
        rows: list[tuple[TimelineEvent, int]] = []
        for event in events:
            if collapse and rows and _same(rows[-1][0], event):
                rows[-1] = (rows[-1][0], rows[-1][1] + 1)
            else:
                rows.append((event, 1))
        for event, repeated in rows:
            _event_row(table, event, repeated)
        console.print()
        console.print(table)


def _render_debts(parcours: Parcours) -> None:
    points: list[tuple[date, int]] = []
    for point in parcours.timeline.debts:
        if points and points[-1][1] == point.dette:
            continue  # the same amount reported again
        points.append((point.date, point.dette))
    if points:
        console.print()
        steps = " → ".join(f"{euros(dette)} ({_day(day)})" for day, dette in points)
        console.print(f"Dette : {steps}", markup=False)


def _render_deadline(echeance: Echeance | None) -> None:
    if echeance is None:
        console.print("Prochaine échéance : aucune échéance légale à venir.")
        return
    console.print(f"Prochaine échéance : {_day(echeance.date)} — {echeance.label}", markup=False)
    console.print(f"  déclenchée par : {echeance.trigger_label.lower()} du {_day(echeance.trigger_date)}", markup=False)
    console.print(f"  référence : {echeance.reference}", markup=False)
    if echeance.note:
        console.print(f"  note : {echeance.note}", markup=False)


def _render_follow(parcours: Parcours) -> None:
    timeline = parcours.timeline
    console.print("\nSuivi social", style="bold")
    if not timeline.follow_ups:
        console.print("  aucun suivi social connu (source « suivi »).")
    for follow in timeline.follow_ups:
        who = f" ({follow.referent})" if follow.referent else ""
        since = f" depuis le {_day(follow.start)}" if follow.start else ""
        until = f" jusqu'au {_day(follow.end)}" if follow.end else ""
        console.print(Text(f"  {follow.service or 'service inconnu'}{who}{since}{until}"))
    _render_assignments(parcours)
    console.print("\nNotes du secrétariat", style="bold")
    if not parcours.notes:
        console.print("  aucune note.")
    for note in parcours.notes:
        when = note.horodatage.strftime("%d/%m/%Y %H:%M")
        console.print(Text(f"  {when} ({note.utilisateur}) : {note.texte}"))
    console.print("\nStatut", style="bold")
    console.print(f"  {_status_line(parcours)}", markup=False)


def _render_assignments(parcours: Parcours) -> None:
    """The ménage's assignments to social services, oldest first, the one in force marked."""
    console.print("\nAffectation aux services sociaux", style="bold")
    if not parcours.affectations:
        console.print("  jamais affecté (exploc affecter).")
        return
    for assignment in parcours.affectations:
        when = assignment.horodatage.strftime("%d/%m/%Y")
        partner = f" ; avec {assignment.partenaire}" if assignment.partenaire else ""
        now = " — en vigueur" if assignment.courante else ""
        line = f"  {when} : {assignment.label}{partner} — {assignment_origin(assignment)}{now}"
        console.print(Text(line, style="bold" if assignment.courante else ""))


def _status_line(parcours: Parcours) -> str:
    """« ouvert », « clos le … (motif : …) », or how a later report reopened (or will reopen) it."""
    timeline = parcours.timeline
    if timeline.clos_le is None:
        return timeline.statut
    motif = closing_label(parcours.motif_cloture)
    closed = f"clos le {_day(timeline.clos_le)}" + (f" (motif : {motif})" if motif else "")
    if timeline.reopened_on is None:
        return closed if timeline.statut == "clos" else f"{timeline.statut} (auparavant {closed})"
    if timeline.statut == "clos":
        return f"{closed} ; un signalement du {_day(timeline.reopened_on)} est postérieur à la clôture"
    return f"{timeline.statut} : rouvert le {_day(timeline.reopened_on)}, après avoir été {closed}"
