"""Broken rules files: each mistake a département may make, checked against the words of its error."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from commands.app import app
from exploc_cli.affectation.rules import RulesFileError, load_rules

HEAD = 'version = "essai"\n'
RULE = '[[regle]]\nid = "r1"\ndescription = "d"\nreference = "ref"\n'


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('titre = "sans version"\n' + RULE + 'service = "CAF01"\n', "ligne 1 : « version » manquante"),
        (HEAD, "aucune règle [[regle]] : il en faut au moins une"),
        (HEAD + 'auteur = "moi"\n' + RULE + 'service = "CAF01"\n', "ligne 2 : clé « auteur » inconnue"),
        (HEAD + RULE + 'service = "CAF01"\n' + RULE + 'service = "DEP01"\n',
         "ligne 7 : identifiant « r1 » déjà utilisé ligne 2"),
        (HEAD + '[[regle]]\nid = "Règle 1"\ndescription = "d"\nreference = "r"\nservice = "X"\n',
         "ligne 3, règle « Règle 1 » : « id » manquant ou invalide"),
        (HEAD + '[[regle]]\nid = "r1"\nreference = "r"\nservice = "X"\n', "règle « r1 » : « description » manquante"),
        (HEAD + RULE, "règle « r1 » : « service » manquant : qui reçoit le ménage ?"),
        (HEAD + RULE + 'service = "X"\nvalide_du = 2026-06-01\nvalide_au = 2026-01-01\n',
         "ligne 8, règle « r1 » : « valide_au » est avant « valide_du »"),
        (HEAD + RULE + 'si = "allocataire"\nservice = "X"\n', "ligne 6, règle « r1 » : « si » attend une table"),
        (HEAD + RULE + 'si = { parc = { au_moins = 2 } }\nservice = "X"\n',
         "« parc » (valeur d'une liste) : l'opérateur « au_moins » ne s'applique pas ici"),
        (HEAD + RULE + 'si = { commune = { parmi = "Vaumoret" } }\nservice = "X"\n',
         "« commune » : « parmi » attend une liste non vide"),
        (HEAD + RULE + 'si = { etape = "expulsion" }\nservice = "X"\n', "« etape » : valeur « expulsion » inconnue"),
        (HEAD + RULE + 'service = { origine = "caf" }\n', 'origine = "suivi" est la seule origine possible'),
        (HEAD + RULE + 'service = { type = "caf", unite = 3 }\n',
         "« unite » : \"secteur\" ou le code d'une unité attendu"),
        (HEAD + RULE + 'service = { type = "caf", agence = "A" }\n', "« service » : clé « agence » inconnue"),
        (HEAD + RULE + 'service = "X"\npriorite = 1\n', "ligne 7, règle « r1 » : clé « priorite » inconnue"),
    ],
)  # fmt: skip
def test_each_broken_rules_file_is_explained_with_its_line(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "regles.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RulesFileError) as caught:
        load_rules(path)
    assert expected in str(caught.value)
    assert str(path) in str(caught.value)


def test_a_rules_file_saved_in_windows_encoding_or_missing_is_refused_in_french(tmp_path: Path) -> None:
    latin = tmp_path / "regles.toml"
    latin.write_bytes((HEAD + RULE.replace('"d"', '"Ménages"') + 'service = "X"\n').encode("cp1252"))
    runner = CliRunner()
    result = runner.invoke(app, ["--base", str(tmp_path / "b.sqlite"), "regles", "verifier", str(latin)])
    assert result.exit_code == 3
    assert "le fichier doit être enregistré en UTF-8" in result.output
    missing = runner.invoke(app, ["--base", str(tmp_path / "b.sqlite"), "regles", "verifier", str(tmp_path / "x.toml")])
    assert missing.exit_code == 3 and "fichier introuvable" in missing.output
    # a broken rules file stops exploc affecter before anything is read or written
    refused = runner.invoke(app, ["--base", str(tmp_path / "b.sqlite"), "affecter", "--regles", str(latin)])
    assert refused.exit_code == 3 and "UTF-8" in refused.output
