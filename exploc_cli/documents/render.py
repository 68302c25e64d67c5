"""Fill the Word templates of the session documents (docxtpl), explaining in French what is wrong.

A secretary may edit a copy of a template in ``<configuration>/modeles/``: the copy wins over the
shipped one. Every value is autoescaped (a partner value never becomes a tag or XML), and an
unknown field is an error (``StrictUndefined``) rather than a silent blank.
"""

from __future__ import annotations

import functools
import html
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2 import TemplateError as JinjaTemplateError
from jinja2.utils import missing

from ..errors import ExplocError
from ..outputs import private_output
from ..paths import user_config_dir
from ..resources import templates_dir

TEMPLATE_NAMES = (
    "ordre_du_jour",
    "dossier_seance",
    "releve_decisions",
    "courrier_locataire",
    "courrier_bailleur",
    "convocation_membres",
    "courrier_maire",
)
# the non-nominative reports of ``exploc diagnostic`` and ``exploc bilan`` (no session in their context)
REPORT_TEMPLATE_NAMES = ("diagnostic", "bilan")
ALL_TEMPLATE_NAMES = TEMPLATE_NAMES + REPORT_TEMPLATE_NAMES
COPIES_FOLDER = "modeles"
_HINT = (
    "Corrigez le modèle dans Word ou LibreOffice (voir LISEZMOI.md des modèles) puis lancez « exploc verifier » ; "
    "supprimer la copie modifiée revient au modèle fourni."
)
# typographic quotes Word's autocorrection puts in place of straight ones, by family
QUOTE_FAMILIES = (("«»‹›", "« »", '""'), ("“”„‟", "“ ”", '""'), ("‘’‚‛", "‘ ’", "''"))
QUOTES = "".join(family for family, _, _ in QUOTE_FAMILIES)
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f]")
_PART = re.compile(r"word/(document|header\d*|footer\d*)\.xml")


class TemplateError(ExplocError):
    """A Word template cannot be filled: the message names the file and every problem found.

    ``kind``: ``fichier`` (not a .docx), ``guillemets``, ``syntaxe``, ``champ`` (unknown field),
    ``indice`` (an element of an empty list) or ``autre``.
    """

    def __init__(self, path: Path, problems: Sequence[str], kind: str = "autre") -> None:
        super().__init__(f"modèle {path} : " + " | ".join(problems), _HINT)
        self.path = path
        self.problems = list(problems)
        self.kind = kind


class _UnknownField(UndefinedError):
    def __init__(self, owner: Any, field: Any, message: str | None = None) -> None:
        super().__init__(message)
        self.owner = owner
        self.field = field


class _FieldUndefined(StrictUndefined):
    """StrictUndefined whose error remembers which object lacked which field."""

    __slots__ = ()

    def __init__(self, hint: str | None = None, obj: Any = missing, name: str | None = None, exc: Any = None) -> None:
        super().__init__(hint, obj, name)
        self._undefined_exception = functools.partial(_UnknownField, obj, name)  # type: ignore[assignment]


def edited_copy_path(name: str, config_dir: Path | None = None) -> Path:
    """Where a secretary's edited copy of template ``name`` lives (it may not exist)."""
    return (config_dir if config_dir is not None else user_config_dir()) / COPIES_FOLDER / f"{name}.docx"


def template_path(name: str, config_dir: Path | None = None) -> Path:
    """The template used for ``name``: the edited copy if there is one, else the shipped template."""
    if name not in ALL_TEMPLATE_NAMES:
        raise ExplocError(f"modèle inconnu « {name} » ; modèles possibles : {', '.join(ALL_TEMPLATE_NAMES)}")
    copy = edited_copy_path(name, config_dir)
    return copy if copy.is_file() else templates_dir() / f"{name}.docx"


def render_to_bytes(name: str, context: Mapping[str, Any], *, config_dir: Path | None = None) -> bytes:
    """The filled document ``name`` as .docx bytes (raises :class:`TemplateError`)."""
    return fill_template(template_path(name, config_dir), context)


def render_document(name: str, context: Mapping[str, Any], output: Path, *, config_dir: Path | None = None) -> None:
    """Fill template ``name`` with ``context`` into ``output``, atomically and readable by its owner only."""
    content = render_to_bytes(name, context, config_dir=config_dir)
    with private_output(output, mode="wb") as handle:
        handle.write(content)


def fill_template(path: Path, context: Mapping[str, Any]) -> bytes:
    """Fill the template file ``path``; every problem is a :class:`TemplateError` in French."""
    template = load_template(path)
    stat = path.stat()
    problems = _quote_problems_cached(path, stat.st_mtime_ns, stat.st_size)
    if problems:
        raise TemplateError(path, problems, "guillemets")
    return fill_loaded(template, path, context)


def load_template(path: Path) -> Any:
    """The docxtpl template of ``path``, or a :class:`TemplateError` if it is not a .docx."""
    if not path.is_file():
        raise TemplateError(path, ["fichier introuvable"], "fichier")
    template = _RecordingTemplate(str(path))
    try:
        template.init_docx()
    except Exception as err:  # python-docx raises many kinds of errors for what is not a .docx
        raise TemplateError(
            path,
            ["ce n'est pas un document Word .docx valide (enregistrez-le au format « Document Word (*.docx) »)"],
            "fichier",
        ) from err
    return template


@functools.lru_cache(maxsize=32)
def _quote_problems_cached(path: Path, mtime_ns: int, size: int) -> tuple[str, ...]:
    """:func:`quote_problems` once per version of a template file (a session writes hundreds of letters)."""
    return tuple(quote_problems(path))


def quote_problems(path: Path) -> list[str]:
    """Typographic quotes inside tags (Word's autocorrection), one message per tag and kind of quote."""
    problems = []
    with zipfile.ZipFile(path) as archive:
        parts = sorted(name for name in archive.namelist() if _PART.fullmatch(name))
        for part in parts:
            xml = archive.read(part).decode("utf-8", errors="replace").replace("</w:p>", "\n")
            for tag in _TAG.findall(html.unescape(re.sub(r"<[^>]+>", "", xml))):
                for characters, shown, straight in QUOTE_FAMILIES:
                    if any(c in tag for c in characters):
                        what = "apostrophes" if straight == "''" else "guillemets"
                        droits = "des apostrophes droites" if straight == "''" else "des guillemets droits"
                        problems.append(
                            f"{what} typographiques {shown} dans la balise {_short(tag)} : "
                            f"remplacez-les par {droits} {straight}"
                        )
    return problems


def fill_loaded(template: Any, path: Path, context: Mapping[str, Any]) -> bytes:
    """Render an already loaded template (see :func:`load_template`)."""
    values = _clean(context)
    environment = Environment(undefined=_FieldUndefined, autoescape=True)
    try:
        template.render(values, environment, autoescape=True)
    except TemplateSyntaxError as err:
        raise _syntax_error(path, err, _part_label(template)) from err
    except UndefinedError as err:
        raise _field_error(path, err, values, template) from err
    except (JinjaTemplateError, TypeError, ValueError, AttributeError, KeyError, IndexError) as err:
        raise TemplateError(path, [f"erreur au remplissage{_part_label(template)} : {err}"]) from err
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


class _RecordingTemplate(DocxTemplate):  # type: ignore[misc]
    """Remembers the XML given to Jinja, to show the paragraph where a field is unknown."""

    source = ""

    def render_xml_part(self, src_xml: str, part: Any, context: Any, jinja_env: Any = None) -> Any:
        self.source = re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml)  # numbered as docxtpl does
        return super().render_xml_part(src_xml, part, context, jinja_env)


def _clean(value: Any) -> Any:
    """A copy of the context without control characters (docxtpl turns \\f or \\a into page or paragraph breaks)."""
    if isinstance(value, str):
        return _CONTROL_CHARACTERS.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    if isinstance(value, Mapping):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    return value


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _part_label(template: Any) -> str:
    part = getattr(template, "current_rendering_part", None)
    name = str(getattr(part, "partname", ""))
    return " dans l'en-tête" if "header" in name else " dans le pied de page" if "footer" in name else ""


def _line_text(source: str | None, lineno: int | None) -> str:
    """The text of the paragraph at line ``lineno`` of the XML given to Jinja."""
    if not source or not lineno:
        return ""
    source_lines = source.split("\n")
    if not 0 < lineno <= len(source_lines):
        return ""
    return html.unescape(re.sub(r"<[^>]+>", "", source_lines[lineno - 1])).strip()


def _where(text: str) -> str:
    return f" (paragraphe « {_short(text)} »)" if text else ""


_BLOCKS = {"for": "boucle {% for %} non fermée (il manque {% endfor %})",
           "if": "condition {% if %} non fermée (il manque {% endif %})"}  # fmt: skip


def _unclosed(source: str | None, block: str) -> str:
    """The opening tag of the innermost ``block`` left open in ``source``, if found."""
    text = html.unescape(re.sub(r"<[^>]+>", "", source or ""))
    stack: list[str] = []
    for tag in re.findall(r"\{%.*?%\}", text, flags=re.DOTALL):
        word = tag.strip("{%-+ ").split(" ", 1)[0]
        if word in ("for", "if"):
            stack.append(tag)
        elif word in ("endfor", "endif"):
            if not stack or not stack[-1].strip("{%-+ ").startswith(word[3:]):
                break  # where Jinja stopped
            stack.pop()
    opened = [tag for tag in stack if tag.strip("{%-+ ").startswith(block)]
    return opened[-1] if opened else ""


def _syntax_error(path: Path, err: TemplateSyntaxError, part: str) -> TemplateError:
    message = err.message or ""
    innermost = re.search(r"innermost block that needs to be closed is '(\w+)'", message)
    where = _where(_line_text(err.source, err.lineno))
    kind = "syntaxe"
    if message.startswith("Unexpected end of template") and innermost:
        block = innermost.group(1)
        text = _BLOCKS.get(block, f"bloc {{% {block} %}} non fermé (il manque {{% end{block} %}})")
        opening = _unclosed(err.source, block)
        where = f" (balise d'ouverture : « {_short(opening)} »)" if opening else ""
    elif unknown := re.match(r"Encountered unknown tag '(\w+)'", message):
        tag = unknown.group(1)
        if tag.startswith("end") or tag in ("else", "elif"):
            opener = tag[3:] if tag.startswith("end") else "if"
            text = f"balise {{% {tag} %}} sans {{% {opener} %}} ouvert avant"
            if innermost and tag != f"end{innermost.group(1)}":
                block = innermost.group(1)
                text = _BLOCKS.get(block, f"bloc {{% {block} %}} non fermé (il manque {{% end{block} %}})")
                text += f" avant la balise {{% {tag} %}}"
                opening = _unclosed(err.source, block)
                where = f" (balise d'ouverture : « {_short(opening)} »)" if opening else where
        else:
            text = f"balise inconnue {{% {tag} %}}"
    elif char := re.match(r"unexpected char '(.)'", message):
        found = char.group(1)
        if found in QUOTES:
            kind, text = "guillemets", f'guillemets typographiques {found} dans une balise : remplacez-les par ""'
        elif found in "\u00a0\u202f":
            text = "espace insécable dans une balise : remplacez-la par une espace ordinaire"
        else:
            text = f"caractère « {found} » inattendu dans une balise"
    elif unknown_filter := re.match(r"No (filter|test) named '(\w+)'", message):
        text = f"filtre inconnu « {unknown_filter.group(2)} »"
    elif message.startswith(("unexpected '}'", "unexpected '%'")):
        text = "balise mal fermée (« }} » ou « %} » incomplet)"
    elif "unexpected end of template" in message:
        text = "balise non fermée (il manque « }} » ou « %} »)"
    else:
        text = f"balise mal écrite ({message})"
    return TemplateError(path, [f"{text}{part}{where}"], kind)


def _field_error(path: Path, err: UndefinedError, context: Mapping[str, Any], template: Any) -> TemplateError:
    owner, field = (err.owner, err.field) if isinstance(err, _UnknownField) else (missing, None)
    part = _part_label(template)
    if field is None:
        return TemplateError(path, [f"champ inconnu{part} ({err.message})"], "champ")
    if not isinstance(field, str):
        return TemplateError(path, [f"élément n° {field} absent d'une liste{part}"], "indice")
    if owner is missing:
        shown, possible = field, sorted(context)
    else:
        route = _locate(context, owner, ())
        shown = ".".join([*route, field]) if route is not None and "[]" not in route else ""
        shown = shown or _expression(template.source, _template_line(err), field) or field
        possible = sorted(owner) if isinstance(owner, Mapping) else []
    if owner is not missing and not isinstance(owner, Mapping):
        return TemplateError(path, [f"« {shown} » : cette valeur n'a pas de sous-champ{part}"], "champ")
    return TemplateError(path, [f"champ inconnu « {shown} »{part} ; champs possibles : {', '.join(possible)}"], "champ")


def _locate(value: Any, target: Any, route: tuple[str, ...]) -> tuple[str, ...] | None:
    """The keys leading from the context to ``target`` (``[]`` for a list element)."""
    if value is target:
        return route
    children = value.items() if isinstance(value, Mapping) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        if isinstance(child, Mapping | list):
            found = _locate(child, target, (*route, key if isinstance(key, str) else "[]"))
            if found is not None:
                return found
    return None


def _template_line(err: BaseException) -> int | None:
    """The line of the XML given to Jinja where ``err`` happened (Jinja rewrites the traceback)."""
    line, trace = None, err.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == "<template>":
            line = trace.tb_lineno
        trace = trace.tb_next
    return line


def _expression(source: str, lineno: int | None, field: str) -> str:
    """The dotted expression ending with ``field`` as written in the paragraph (``ligne.titulair``)."""
    for tag in _TAG.findall(_line_text(source, lineno)):
        found = re.search(rf"[A-Za-z_][\w.]*\.{re.escape(field)}\b", tag)
        if found:
            return found.group(0)
    return ""
