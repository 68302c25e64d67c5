"""``exploc verifier`` fills every Word template (the edited copy if there is one) and explains problems."""

from __future__ import annotations

import json
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from typer.testing import CliRunner

from commands.app import app
from exploc_cli.documents.render import ALL_TEMPLATE_NAMES
from exploc_cli.resources import templates_dir


def _broken_copy(folder: Path, name: str, old: str, new: str | None) -> Path:
    """Copy a shipped template into ``folder/modeles`` with the run ``old`` replaced (None: its paragraph removed)."""
    doc = Document(templates_dir() / f"{name}.docx")
    runs = [r for r in doc.element.body.iter(qn("w:r")) if "".join(t.text or "" for t in r.iter(qn("w:t"))) == old]
    assert runs, old
    if new is None:
        paragraph = runs[-1].getparent()
        paragraph.getparent().remove(paragraph)
    else:
        runs[0].find(qn("w:t")).text = new
    target = folder / "modeles" / f"{name}.docx"
    target.parent.mkdir(parents=True, exist_ok=True)
    doc.save(target)
    return target


def _template_checks(stdout: str) -> dict[str, dict[str, object]]:
    report = json.loads(stdout)
    return {c["controle"]: c for c in report["controles"] if c["controle"].startswith("modele ")}


def test_verifier_fills_every_shipped_template(runner: CliRunner, base: Path, tmp_path: Path) -> None:
    config = tmp_path / "conf" / "exploc.toml"
    config.parent.mkdir(mode=0o700)
    config.write_text("", encoding="utf-8")
    result = runner.invoke(app, ["--base", str(base), "--config", str(config), "verifier", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ok"] is True
    checks = _template_checks(result.stdout)
    assert list(checks) == [f"modele {name}" for name in ALL_TEMPLATE_NAMES]
    for name in ALL_TEMPLATE_NAMES:
        assert checks[f"modele {name}"]["ok"] is True
        assert checks[f"modele {name}"]["detail"].startswith(f"modèle fourni {templates_dir() / name}.docx")
    text = runner.invoke(app, ["--base", str(base), "--config", str(config), "verifier"])
    assert text.exit_code == 0 and "OK  modele dossier_seance : modèle fourni" in text.stdout


def test_verifier_explains_broken_copies_next_to_the_config_file_with_code_4(
    runner: CliRunner, base: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "conf"
    config = folder / "exploc.toml"
    folder.mkdir(mode=0o700)
    config.write_text("", encoding="utf-8")
    unknown = _broken_copy(folder, "ordre_du_jour", "{{ seance.date_longue }}", "{{ seance.dat }}")
    quotes = _broken_copy(folder, "courrier_maire", "{{ commune }}", "{{ commune|default(« inconnue ») }}")
    unclosed = _broken_copy(folder, "dossier_seance", "{%p endfor %}", None)
    arguments = ["--base", str(base), "--config", str(config), "verifier"]
    result = runner.invoke(app, [*arguments, "--json"])
    assert result.exit_code == 4, result.output
    report = json.loads(result.stdout)
    base_check = "integrite" if isinstance(base, Path) else "serveur"
    assert report["ok"] is False and {"schema", base_check} <= {c["controle"] for c in report["controles"]}
    checks = _template_checks(result.stdout)
    assert checks["modele ordre_du_jour"]["ok"] is False
    assert checks["modele ordre_du_jour"]["detail"] == (
        f"copie modifiée {unknown} : champ inconnu « seance.dat » ; champs possibles : date, date_longue, heure, "
        "instance, lieu, nombre_menages, numero"
    )
    assert checks["modele courrier_maire"]["detail"] == (
        f"copie modifiée {quotes} : guillemets typographiques « » dans la balise "
        '{{ commune|default(« inconnue ») }} : remplacez-les par des guillemets droits ""'
    )
    assert checks["modele dossier_seance"]["detail"].startswith(
        f"copie modifiée {unclosed} : boucle {{% for %}} non fermée (il manque {{% endfor %}})"
    )
    assert checks["modele releve_decisions"]["ok"] is True  # the other templates are still the shipped ones
    text = runner.invoke(app, arguments)
    assert text.exit_code == 4
    assert "PROBLÈME  modele ordre_du_jour : copie modifiée" in text.stdout
    assert "champ inconnu « seance.dat »" in text.stdout and "il manque {% endfor %}" in text.stdout


def test_verifier_uses_the_default_configuration_folder(
    runner: CliRunner, base: Path, isolated_user_folders: Path
) -> None:
    folder = isolated_user_folders / "config" / "exploc"
    copy = _broken_copy(folder, "releve_decisions", "{{ decision.titulaire }}", "{{ decision.nom }}")
    result = runner.invoke(app, ["--base", str(base), "verifier", "--json"])
    assert result.exit_code == 4, result.output
    detail = _template_checks(result.stdout)["modele releve_decisions"]["detail"]
    assert detail.startswith(f"copie modifiée {copy} : champ inconnu « decision.nom » ; champs possibles : avis,")
