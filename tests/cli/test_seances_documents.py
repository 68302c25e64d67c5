"""The session documents through the CLI: built from the base, reopened and read back."""

from __future__ import annotations

import io
import json
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn

from exploc_cli.errors import ExplocError
from exploc_cli.protect import decrypt_office_bytes
from tests.cli.test_menages_parcours import fr, three_households
from tests.cli.test_seances import _create, _fill
from tests.conftest import Invoke
from tests.helpers import rows


def _text(doc: Any) -> str:
    parts = []
    for element in (
        doc.element.body,
        *(s.header._element for s in doc.sections),
        *(s.footer._element for s in doc.sections),
    ):
        parts += ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in element.iter(qn("w:p"))]
    return "\n".join(parts)


def _page_breaks(doc: Any) -> int:
    body = doc.element.body
    return len(body.findall(f".//{qn('w:pageBreakBefore')}")) + sum(
        1 for b in body.iter(qn("w:br")) if b.get(qn("w:type")) == "page"
    )


@pytest.fixture
def session(exploc: Invoke, write_file: Callable[..., Path], base: Path, tmp_path: Path) -> tuple[int, dict[str, int]]:
    numbers = three_households(exploc, write_file, base)
    seance = _create(exploc, when=-2)
    assert exploc("seances", "ajouter", str(seance), str(numbers["A"]), str(numbers["B"])).exit_code == 0
    return seance, numbers


def test_ordre_du_jour_and_dossier_say_what_the_base_knows(
    exploc: Invoke, base: Path, tmp_path: Path, session: tuple[int, dict[str, int]]
) -> None:
    seance, numbers = session
    odj = tmp_path / "odj.docx"
    result = exploc("seances", "ordre-du-jour", str(seance), "--sortie", str(odj))
    assert result.exit_code == 0, result.output
    text = _text(Document(odj))
    assert "LEFEVRE Eloise" in text and "MARTIN Paul" in text and "OYONNAX" in text
    assert "Document confidentiel — secret professionnel" in text

    dossier = tmp_path / "dossier.docx"
    result = exploc("seances", "dossier", str(seance), "--sortie", str(dossier), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["menages"] == [numbers["A"], numbers["B"]]
    assert stat.S_IMODE(dossier.stat().st_mode) == 0o600
    doc = Document(dossier)
    text = _text(doc)
    assert _page_breaks(doc) == 2  # one fiche per household, each on its own page
    for expected in (
        f"ménage n° {numbers['A']}", f"ménage n° {numbers['B']}",
        "Commandement de payer", "Assignation", "Commandement de quitter les lieux",
        "2\u00a0500,00\u00a0€", "3\u00a0000,00\u00a0€", "8\u00a0000,00\u00a0€",  # the debt's evolution
        fr(-120), "Logis du Val", "M. Jean ROUX", "CAF/MSA n° 0123456", "Dette en hausse",
        "Avis de la commission",
    ):  # fmt: skip
        assert expected in text, expected
    # every document is journaled: who, which file and its fingerprint, which households — by number
    journal = rows(base, "SELECT action, chemin, sha256, details FROM journal WHERE action = 'document' ORDER BY id")
    assert [Path(r["chemin"]).name for r in journal] == ["odj.docx", "dossier.docx"]
    assert all(len(r["sha256"]) == 64 for r in journal)
    assert json.loads(journal[1]["details"])["menages"] == [numbers["A"], numbers["B"]]
    assert "LEFEVRE" not in json.dumps(journal)


def test_releve_and_courriers_after_the_decisions(
    exploc: Invoke, base: Path, tmp_path: Path, session: tuple[int, dict[str, int]]
) -> None:
    seance, numbers = session
    early = exploc("seances", "releve", str(seance), "--sortie", str(tmp_path / "trop_tot.docx"))
    assert early.exit_code == 3 and "Aucun avis" in early.output
    sheet = tmp_path / "decisions.xlsx"
    assert exploc("seances", "feuille-decisions", str(seance), "--sortie", str(sheet)).exit_code == 0
    _fill(sheet, {
        numbers["A"]: ["Avis avec préconisations", "Un plan d'apurement & un FSL <urgent>", None,
                       "Bailleur — Proposer un plan d'apurement", "Sur 24 mois", None],
        numbers["B"]: ["Avis défavorable au concours de la force publique", "Relogement à rechercher", None],
    })  # fmt: skip
    assert exploc("seances", "decisions", str(seance), "--fichier", str(sheet)).exit_code == 0

    releve = tmp_path / "releve.docx"
    assert exploc("seances", "releve", str(seance), "--sortie", str(releve)).exit_code == 0
    text = _text(Document(releve))
    assert "Avis avec préconisations" in text and "Proposer un plan d'apurement" in text
    assert "Un plan d'apurement & un FSL <urgent>" in text  # partner and secretary text comes out literally
    assert "Avis défavorable au concours de la force publique" in text

    folder = tmp_path / "courriers"
    result = exploc("seances", "courriers", str(seance), "--sortie", str(folder), "--json")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in folder.iterdir())
    a, b = numbers["A"], numbers["B"]
    assert names == sorted([
        f"seance{seance}_convocation_membres.docx", f"seance{seance}_maire_bourg-sur-sarre.docx",
        f"seance{seance}_maire_oyonnax.docx", f"seance{seance}_menage{a}_locataire.docx",
        f"seance{seance}_menage{a}_bailleur.docx", f"seance{seance}_menage{b}_locataire.docx",
        f"seance{seance}_menage{b}_bailleur.docx",
    ])  # fmt: skip
    tenant = _text(Document(folder / f"seance{seance}_menage{a}_locataire.docx"))
    assert "LEFEVRE Eloise" in tenant and "Proposer un plan d'apurement" in tenant
    mayor = _text(Document(folder / f"seance{seance}_maire_oyonnax.docx"))
    assert "OYONNAX" in mayor and "MARTIN" not in mayor and "LEFEVRE" not in mayor  # no names to the mayor
    convocation = _text(Document(folder / f"seance{seance}_convocation_membres.docx"))
    assert "MARTIN" not in convocation and "LEFEVRE" not in convocation
    assert all(stat.S_IMODE((folder / n).stat().st_mode) == 0o600 for n in names)
    assert len(rows(base, "SELECT id FROM journal WHERE action = 'document' AND details LIKE '%courriers%'")) == len(
        names
    )


def test_an_encrypted_dossier_opens_with_its_password_only(
    exploc: Invoke, tmp_path: Path, session: tuple[int, dict[str, int]]
) -> None:
    seance, _ = session
    secret = tmp_path / "mdp.txt"
    secret.write_text("Ccapex-2026-secret\n", encoding="utf-8")
    dossier = tmp_path / "dossier.docx"
    result = exploc(
        "seances", "dossier", str(seance), "--sortie", str(dossier), "--chiffrer", "--mot-de-passe-fichier", str(secret)
    )
    assert result.exit_code == 0, result.output
    assert "Ccapex-2026-secret" not in result.output
    with pytest.raises(zipfile.BadZipFile):
        Document(dossier)  # not a readable .docx without the password
    clear = decrypt_office_bytes(dossier.read_bytes(), "Ccapex-2026-secret")
    assert "LEFEVRE Eloise" in _text(Document(io.BytesIO(clear)))
    with pytest.raises(ExplocError, match="Déchiffrement impossible"):
        decrypt_office_bytes(dossier.read_bytes(), "mauvais-mot-de-passe")
    short = tmp_path / "court.txt"
    short.write_text("abc\n", encoding="utf-8")
    refused = exploc(
        "seances",
        "dossier",
        str(seance),
        "--sortie",
        str(tmp_path / "d2.docx"),
        "--chiffrer",
        "--mot-de-passe-fichier",
        str(short),
    )
    assert refused.exit_code == 3 and "trop court" in refused.output and not (tmp_path / "d2.docx").exists()


def test_a_broken_template_leaves_no_partial_set_of_letters(
    exploc: Invoke, base: Path, tmp_path: Path, session: tuple[int, dict[str, int]], isolated_user_folders: Path
) -> None:
    seance, _ = session
    copies = isolated_user_folders / "config" / "exploc" / "modeles"
    copies.mkdir(parents=True)
    (copies / "courrier_maire.docx").write_bytes(b"ceci n'est pas un document Word")
    folder = tmp_path / "courriers"
    result = exploc("seances", "courriers", str(seance), "--sortie", str(folder))
    assert result.exit_code == 3, result.output
    assert "courrier_maire.docx" in result.output and "Traceback" not in result.output
    assert not folder.exists() or not any(folder.iterdir())  # not even the members' convocation
    assert rows(base, "SELECT id FROM journal WHERE action = 'document'") == []
