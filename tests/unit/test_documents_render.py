"""The Word templates of the session documents, filled with their sample contexts, and their checks."""

from __future__ import annotations

import copy
import os
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn

from exploc_cli.documents.checks import check_templates
from exploc_cli.documents.render import (
    ALL_TEMPLATE_NAMES,
    TEMPLATE_NAMES,
    TemplateError,
    render_document,
    render_to_bytes,
    template_path,
)
from exploc_cli.documents.samples import FICHE, SAMPLES
from exploc_cli.errors import ExplocError
from exploc_cli.resources import templates_dir

CONFIDENTIAL = "Document confidentiel — secret professionnel"
NOMINATIVE = ("ordre_du_jour", "dossier_seance", "releve_decisions", "courrier_locataire", "courrier_bailleur")


def _paragraphs(element: Any) -> list[str]:
    """The text of every paragraph below ``element`` (body, cells, header...), in order."""
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in element.iter(qn("w:p"))]


def _render(tmp_path: Path, name: str, context: dict[str, Any] | None = None, **options: Any) -> Any:
    output = tmp_path / "sortie" / f"{name}.docx"
    render_document(name, SAMPLES[name] if context is None else context, output, **options)
    return Document(output)


def _body(doc: Any) -> list[str]:
    return _paragraphs(doc.element.body)


def _page_break_paragraphs(doc: Any) -> list[str]:
    found = []
    for paragraph in doc.element.body.iter(qn("w:p")):
        breaks = paragraph.findall(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}")
        breaks += [b for b in paragraph.iter(qn("w:br")) if b.get(qn("w:type")) == "page"]
        found += ["".join(t.text or "" for t in paragraph.iter(qn("w:t")))] * len(breaks)
    return found


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "configuration"
    folder.mkdir()
    return folder


def _edited_copy(config_dir: Path, name: str, old: str, new: str | None) -> Path:
    """Copy the shipped template into ``modeles/`` and replace (``None``: delete) the run ``old``."""
    doc = Document(templates_dir() / f"{name}.docx")
    parts = [doc.element.body, *(s.header._element for s in doc.sections)]
    runs = [
        r for part in parts for r in part.iter(qn("w:r")) if "".join(t.text or "" for t in r.iter(qn("w:t"))) == old
    ]
    assert runs, old
    if new is None:  # remove the whole control paragraph (the last one with this text)
        paragraph = runs[-1].getparent()
        paragraph.getparent().remove(paragraph)
    else:
        runs[0].find(qn("w:t")).text = new
    target = config_dir / "modeles" / f"{name}.docx"
    target.parent.mkdir(exist_ok=True)
    doc.save(target)
    return target


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_every_shipped_template_fills_with_its_sample(tmp_path: Path, config_dir: Path, name: str) -> None:
    doc = _render(tmp_path, name, config_dir=config_dir)
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    header, footer = _paragraphs(section.header._element), section.footer._element
    all_text = "\n".join(_body(doc) + header + _paragraphs(footer))
    assert "{{" not in all_text and "{%" not in all_text and "}}" not in all_text
    assert "CCAPEX de l'Ain" in all_text  # organisme.nom, autoescaped then unescaped by Word
    assert "CCAPEX centrale — séance du 15/12/2025" in header[0]
    if name in NOMINATIVE:
        assert CONFIDENTIAL in header[0]
    instructions = {f.get(qn("w:instr")).strip() for f in footer.iter(qn("w:fldSimple"))}
    assert {"PAGE", "NUMPAGES"} <= instructions
    assert "Page" in _paragraphs(footer)[0]
    if os.name == "posix":
        assert stat.S_IMODE((tmp_path / "sortie" / f"{name}.docx").stat().st_mode) == 0o600


def test_ordre_du_jour_is_a_numbered_table_of_households(tmp_path: Path) -> None:
    doc = _render(tmp_path, "ordre_du_jour")
    rows = [[cell.text for cell in row.cells] for row in doc.tables[0].rows]
    assert rows[0] == ["N°", "Ménage", "Titulaire", "Commune", "Motif d'inscription", "Étape", "Dette"]
    assert [row[:2] for row in rows[1:]] == [["1", "42"], ["2", "57"]]
    assert rows[1][2:] == [
        "Mme DURAND (née MARTIN) Sophie",
        "BOURG-EN-BRESSE",
        "Étape : commandement de payer ; dette > 5 000 €",
        "Commandement de payer",
        "2 940,50 €",
    ]
    body = "\n".join(_body(doc))
    assert "Ordre du jour" in body and "CCAPEX centrale du lundi 15 décembre 2025" in body


def test_dossier_has_one_fiche_per_household_each_on_a_new_page(tmp_path: Path) -> None:
    empty = {**FICHE, "rang": 2, "numero": 57, "titulaire": "M. VIDE Jean", "allocataire": ""}
    empty.update({key: [] for key in ("adresses_precedentes", "dettes", "evenements", "suivis", "alertes")})
    empty.update({key: [] for key in ("avis_precedents", "preconisations", "notes")})
    context = {**SAMPLES["dossier_seance"], "fiches": [FICHE, empty, {**FICHE, "rang": 3, "numero": 58}]}
    doc = _render(tmp_path, "dossier_seance", context)
    assert _page_break_paragraphs(doc) == [
        "Fiche n° 1 — ménage n° 42",
        "Fiche n° 2 — ménage n° 57",
        "Fiche n° 3 — ménage n° 58",
    ]
    body = _body(doc)
    text = "\n".join(body)
    assert "620,00 € + 85,00 € de charges = 705,00 €" in text and "Commissaire de justice" in text
    assert "14/07/2025 — fin du délai du commandement de payer (loi 89-462 art. 24 I)" in text
    for expected in ("12/04/1984", "M. DURAND Paul", "Dynacité (personne morale) — parc public", "Mme LEROY"):
        assert text.count(expected) == 3, expected
    for expected in (
        "3 place Carriat — 01000 BOURG-EN-BRESSE (jusqu'au 01/2024)",
        "CAF n° 0123456 — aide au logement\u00a0: 310,00 € — tiers payant\u00a0: oui",
        "Impayé signalé",
        "CCAS de Bourg-en-Bresse, Mme PETIT, depuis le 01/02/2025",
        "Dette supérieure à 6 mois de loyer",
        "Reprise du paiement du loyer courant demandée.",
        "Non réalisée",
        "20/11/2025 — Appel de la locataire : dossier FSL en cours.",
    ):
        assert text.count(expected) == 2, expected  # fiches 1 and 3, not the empty one
    for empty_sentence in (
        "Aucune préconisation antérieure.",
        "Aucun avis antérieur.",
        "Aucune alerte.",
        "Aucune note.",
        "Non connu comme allocataire.",
        "Aucun acte daté.",
        "Aucune évolution de la dette connue.",
        "Aucun suivi connu.",
    ):
        assert text.count(empty_sentence) == 1, empty_sentence
    assert body.count("Avis de la commission") == 3
    dates = [row.cells[0].text for table in doc.tables for row in table.rows if len(row.cells) == 5]
    assert dates.count("02/06/2025") == 2 and dates.count("10/03/2025") == 2  # the acts of fiches 1 and 3


def test_releve_and_letters_say_the_avis_the_recommendations_and_the_reexamination(tmp_path: Path) -> None:
    releve = "\n".join(_body(_render(tmp_path, "releve_decisions")))
    for expected in ("1. Ménage n° 42", "2. Ménage n° 57", "Avis avec préconisations", "le 16/03/2026"):
        assert expected in releve
    assert "La commission demande un plan d'apurement." in releve and "Proposer un plan d'apurement" in releve
    letter = "\n".join(_body(_render(tmp_path, "courrier_locataire")))
    assert "Objet\u00a0: avis de la commission" in letter and "01000 BOURG-EN-BRESSE" in letter
    assert "Votre situation sera de nouveau examinée lors de la séance du 16/03/2026." in letter
    assert "Sur 24 mois." in letter and letter.rstrip().endswith("La secrétaire de la CCAPEX")
    no_review = copy.deepcopy(SAMPLES["courrier_bailleur"])
    no_review["decision"].update(reexamen="", avis="", preconisations=[])
    bailleur = "\n".join(_body(_render(tmp_path, "courrier_bailleur", no_review)))
    assert "Dynacité" in bailleur and "Logement n° L-2231" in bailleur
    assert "examinée lors de la séance du" not in bailleur and "préconisations suivantes" not in bailleur
    assert "pas encore rendu d'avis" in bailleur
    empty_releve = {**SAMPLES["releve_decisions"], "decisions": [{**SAMPLES["releve_decisions"]["decisions"][0]}]}
    empty_releve["decisions"][0].update(avis="", reexamen="", preconisations=[])
    text = "\n".join(_body(_render(tmp_path, "releve_decisions", empty_releve)))
    assert "Aucun avis enregistré." in text and "Pas de réexamen prévu." in text and "Aucune préconisation." in text


def test_convocation_and_mayor_letter_carry_no_names(tmp_path: Path) -> None:
    convocation = "\n".join(_body(_render(tmp_path, "convocation_membres")))
    assert "lundi 15 décembre 2025" in convocation and "Préfecture, salle 2" in convocation
    assert "Commandement de payer" in convocation and "DURAND" not in convocation
    mayor = "\n".join(_body(_render(tmp_path, "courrier_maire")))
    assert "Madame, Monsieur le Maire" in mayor and "Mairie de BOURG-EN-BRESSE" in mayor
    assert "décret n° 2016-393" in mayor and "inscrits à l'ordre du jour\u00a0: 2." in mayor
    assert "Assignation" in mayor and "DURAND" not in mayor


def test_partner_values_come_out_literally(tmp_path: Path) -> None:
    hostile = 'A <b>gras</b> & "C" {{ seance.date }} {% if x %} ]]> \x0c fin'
    context = copy.deepcopy(SAMPLES["dossier_seance"])
    context["fiches"][0]["titulaire"] = hostile
    context["fiches"][0]["notes"] = [{"date": "01/01/2026", "texte": "ligne 1\nligne 2\r\n& <x>"}]
    doc = _render(tmp_path, "dossier_seance", context)
    text = "\n".join(_body(doc))
    assert 'A <b>gras</b> & "C" {{ seance.date }} {% if x %} ]]>  fin' in text  # no tag, no XML, no page break
    assert "ligne 1ligne 2& <x>" in text  # two line breaks (w:br), the text as typed
    assert len(_page_break_paragraphs(doc)) == 2


def test_the_edited_copy_wins_over_the_shipped_template(tmp_path: Path, config_dir: Path) -> None:
    copy_path = _edited_copy(config_dir, "ordre_du_jour", "Ordre du jour", "Ordre du jour de la CCAPEX du Jura")
    assert template_path("ordre_du_jour", config_dir) == copy_path
    assert template_path("dossier_seance", config_dir) == templates_dir() / "dossier_seance.docx"
    body = _body(_render(tmp_path, "ordre_du_jour", config_dir=config_dir))
    assert "Ordre du jour de la CCAPEX du Jura" in body
    shipped = _body(Document(__import__("io").BytesIO(render_to_bytes("ordre_du_jour", SAMPLES["ordre_du_jour"]))))
    assert "Ordre du jour" in shipped and "Ordre du jour de la CCAPEX du Jura" not in shipped
    with pytest.raises(ExplocError, match="modèle inconnu « agenda »"):
        template_path("agenda", config_dir)


def test_the_shipped_templates_all_pass_their_checks(config_dir: Path) -> None:
    checks = check_templates(config_dir)
    assert [c.name for c in checks] == list(ALL_TEMPLATE_NAMES)
    assert all(c.ok and not c.edited_copy for c in checks), [c.detail for c in checks]
    assert checks[0].detail.startswith(f"modèle fourni {templates_dir() / 'ordre_du_jour.docx'} : ")


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        (
            "ordre_du_jour",
            "{{ seance.date_longue }}",
            "{{ seance.dat }}",
            "champ inconnu « seance.dat » ; champs possibles : date, date_longue, heure, instance, lieu, "
            "nombre_menages, numero",
        ),
        (
            "ordre_du_jour",
            "{{ ligne.titulaire }}",
            "{{ ligne.titulair }}",
            "champ inconnu « ligne.titulair » ; champs possibles : commune, dette, etape, motif, numero, rang, "
            "titulaire",
        ),
        (
            "courrier_maire",
            "{{ commune }}",
            "{{ commune|default(«\u00a0inconnue\u00a0») }}",
            "guillemets typographiques « » dans la balise {{ commune|default(« inconnue ») }} : "
            'remplacez-les par des guillemets droits ""',
        ),
        (
            "courrier_locataire",
            "{{ organisme.nom }}",
            "{{ organisme.nom|default(“CCAPEX”) }}",
            "guillemets typographiques “ ” dans la balise",
        ),
        (
            "dossier_seance",
            "{%p endfor %}",
            None,
            "boucle {% for %} non fermée (il manque {% endfor %}) (balise d'ouverture : « {% for fiche in fiches %} »)",
        ),
        (
            "releve_decisions",
            "{%p endif %}",
            None,
            "condition {% if %} non fermée (il manque {% endif %})",
        ),
    ],
)
def test_a_broken_copy_is_explained_in_french(
    tmp_path: Path, config_dir: Path, name: str, old: str, new: str | None, expected: str
) -> None:
    copy_path = _edited_copy(config_dir, name, old, new)
    (check,) = check_templates(config_dir, [name])
    assert not check.ok and check.edited_copy and check.path == copy_path
    assert expected in check.detail and check.detail.startswith(f"copie modifiée {copy_path} : ")
    output = tmp_path / "sortie.docx"
    with pytest.raises(TemplateError) as raised:
        render_document(name, SAMPLES[name], output, config_dir=config_dir)
    assert expected in raised.value.message and str(copy_path) in raised.value.message
    assert raised.value.hint and "exploc verifier" in raised.value.hint
    assert not output.exists()


def test_an_unknown_field_in_an_empty_list_branch_is_found_too(config_dir: Path) -> None:
    _edited_copy(config_dir, "dossier_seance", "Aucune préconisation antérieure.", "Aucune : {{ fiche.preco }}")
    (check,) = check_templates(config_dir, ["dossier_seance"])
    assert "champ inconnu « fiche.preco »" in check.detail


def test_a_file_that_is_not_a_docx_is_reported(config_dir: Path, tmp_path: Path) -> None:
    (config_dir / "modeles").mkdir()
    (config_dir / "modeles" / "courrier_maire.docx").write_text("ceci n'est pas un document Word")
    odt = config_dir / "modeles" / "courrier_bailleur.docx"
    shutil.copy(templates_dir() / "LISEZMOI.md", odt)
    checks = {c.name: c for c in check_templates(config_dir, ["courrier_maire", "courrier_bailleur", "ordre_du_jour"])}
    for name in ("courrier_maire", "courrier_bailleur"):
        assert not checks[name].ok and "ce n'est pas un document Word .docx valide" in checks[name].detail
    assert checks["ordre_du_jour"].ok
    with pytest.raises(TemplateError, match="pas un document Word"):
        render_document("courrier_maire", SAMPLES["courrier_maire"], tmp_path / "x.docx", config_dir=config_dir)
