"""Build the default Word templates (python-docx): the seven session documents and the two
non-nominative reports (territorial diagnostic, annual report).

    python templates_docx/fabriquer_modeles.py [DOSSIER] [--seulement NOM...]

Each template is an ordinary .docx with real Word styles and one run per Jinja tag, filled by
docxtpl with the contexts of ``exploc_cli/documents/samples.py``. The content of each document is
written below in a small line markup:

- ``[Style] texte``: a paragraph in that Word style; ``[Style, saut]`` starts a new page,
  ``[Style, espace 12]`` adds 12 pt before; a line without ``[...]`` uses the document's body style;
- ``- texte``: a bulleted item; ``{%p ... %}``: a control paragraph (style « Balise de modèle »),
  removed by docxtpl;
- ``**texte**``: bold; `` // `` separates paragraphs inside a table cell; ``> `` aligns a cell right;
- ``[tableau x in liste ; phrase si vide]`` then ``| En-tête | largeur mm | cellule`` lines and
  ``[fin]``: a table with a repeated header row and one row per element (``{%tr for %}``);
- ``[champs largeur]`` then ``| Libellé | valeur`` lines and ``[fin]``: a two-column table;
- ``[cadre]`` then ``| texte | lignes vides`` lines and ``[fin]``: a framed box for handwriting;
- ``[grille x]``: a table whose columns vary, filled from ``x.entete``, ``x.colonnes`` and
  ``x.lignes`` (each ``libelle`` and ``valeurs``) with ``{%tc for %}``; exploc widens it to the page
  (table caption « grille »). The reports (``diagnostic``, ``bilan``) use it for every table.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

NAVY, GREY, RED = "1F3864", "7F7F7F", "9C1C1C"
TEXT_WIDTH = 170  # mm: A4 minus 20 mm margins
TAG = re.compile(r"(\{\{.*?\}\}|\{%.*?%\})")
BOLD = re.compile(r"\*\*(.+?)\*\*")
STYLE_LINE = re.compile(r"\[([^\]]+)\] ?(.*)")

# name: (base, size pt, bold, italic, colour, space before, space after, left indent mm, justified)
STYLES: dict[str, tuple[str, float, bool, bool, str, float, float, float, bool]] = {
    "Normal": ("", 10, False, False, "000000", 0, 4, 0, False),
    "Title": ("Normal", 20, True, False, NAVY, 14, 2, 0, False),
    "Subtitle": ("Normal", 12, False, False, NAVY, 0, 10, 0, False),
    "Heading 1": ("Normal", 14, True, False, NAVY, 6, 6, 0, False),
    "Heading 2": ("Normal", 11, True, False, NAVY, 10, 4, 0, False),
    "List Bullet": ("Normal", 10, False, False, "000000", 0, 2, 0, False),
    "Organisme": ("Normal", 12, True, False, NAVY, 0, 0, 0, False),
    "Coordonnées": ("Normal", 8.5, False, False, GREY, 0, 0, 0, False),
    "Mention": ("Normal", 8.5, False, True, GREY, 2, 2, 0, False),
    "Balise de modèle": ("Normal", 7, False, False, "A6A6A6", 0, 0, 0, False),
    "Texte de tableau": ("Normal", 9, False, False, "000000", 1, 1, 0, False),
    "En-tête de tableau": ("Texte de tableau", 9, True, False, NAVY, 1, 1, 0, False),
    "Corps de lettre": ("Normal", 10, False, False, "000000", 0, 8, 0, True),
    "Citation d'avis": ("Corps de lettre", 10, False, True, "000000", 0, 8, 10, True),
    "Destinataire": ("Normal", 10.5, False, False, "000000", 0, 0, 95, False),
    "Signature": ("Normal", 10, False, False, "000000", 24, 0, 95, False),
    "Header": ("Normal", 8, False, False, GREY, 0, 0, 0, False),
    "Footer": ("Normal", 8, False, False, GREY, 0, 0, 0, False),
    "Graphique": ("Normal", 10, False, False, "000000", 6, 2, 0, False),
}


def _font(element: Any, name: str = "Arial") -> None:
    """Explicit fonts on every rFonts below ``element`` (theme fonts would win over them)."""
    for fonts in element.iter(qn("w:rFonts")):
        for attribute in [a for a in fonts.attrib if a.lower().endswith("theme")]:
            del fonts.attrib[attribute]
        for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attribute), name)


def _xml(tag: str, **attributes: str) -> Any:
    element = OxmlElement(tag)
    for key, value in attributes.items():
        element.set(qn(f"w:{key}"), value)
    return element


def _rule(ppr: Any, color: str = NAVY, size: int = 6) -> None:
    """A line under the paragraph."""
    for old in ppr.findall(qn("w:pBdr")):
        ppr.remove(old)
    borders = _xml("w:pBdr")
    borders.append(_xml("w:bottom", val="single", sz=str(size), space="4", color=color))
    ppr.insert_element_before(borders, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:outlineLvl", "w:rPr")


def _styles(doc: Any) -> None:
    styles = doc.styles
    names = {style.name for style in styles}
    for name, (base, size, bold, italic, color, before, after, indent, justified) in STYLES.items():
        style = styles[name] if name in names else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        if base:
            style.base_style = styles[base]
        style.font.size, style.font.bold, style.font.italic = Pt(size), bold, italic
        style.font.color.rgb = RGBColor.from_string(color)
        layout = style.paragraph_format
        layout.space_before, layout.space_after, layout.line_spacing = Pt(before), Pt(after), 1.1
        layout.left_indent = Mm(indent) if indent else None
        layout.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY if justified else None
        layout.keep_with_next = name.startswith("Heading") or None
        if name in ("Header", "Footer"):
            layout.tab_stops.clear_all()
            layout.tab_stops.add_tab_stop(Mm(TEXT_WIDTH), WD_TAB_ALIGNMENT.RIGHT)
    styles["Texte de tableau"].paragraph_format.line_spacing = 1.0
    styles["Graphique"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styles["Graphique"].paragraph_format.keep_with_next = True
    _rule(styles["Title"].element.get_or_add_pPr())
    _rule(styles["Heading 2"].element.get_or_add_pPr(), color="8EA9DB", size=4)
    defaults = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = defaults.find(qn("w:lang"))
    if language is None:
        language = _xml("w:lang")
        defaults.insert_element_before(language, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    language.set(qn("w:val"), "fr-FR")
    _font(styles.element)


def _field(paragraph: Any, instruction: str) -> None:
    """A real Word field (PAGE, NUMPAGES), computed by Word and LibreOffice."""
    field, run, value = _xml("w:fldSimple", instr=f" {instruction} "), _xml("w:r"), _xml("w:t")
    value.text = "1"
    run.append(value)
    field.append(run)
    paragraph._p.append(field)


SESSION_HEADER = (
    "{{ seance.instance }} — séance du {{ seance.date }}\t",
    "**Document confidentiel — secret professionnel**",
)


def new_document(title: str, header_text: tuple[str, str] = SESSION_HEADER) -> Any:
    """An A4 document with the styles, the header (left text, right text in red) and the « Page X / Y » footer."""
    doc = Document()
    properties = doc.core_properties
    properties.title, properties.author, properties.language = title, "exploc", "fr-FR"
    properties.comments = "Modèle exploc : voir LISEZMOI.md"
    _styles(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(25), Mm(22)
    section.header_distance = section.footer_distance = Mm(10)
    header = section.header.paragraphs[0]
    text(header, header_text[0])
    text(header, header_text[1], color=RED)
    _rule(header._p.get_or_add_pPr(), color="BFBFBF", size=4)
    footer = section.footer.paragraphs[0]
    text(footer, "{{ organisme.nom }}\tPage ")
    _field(footer, "PAGE")
    text(footer, " / ")
    _field(footer, "NUMPAGES")
    return doc


def text(paragraph: Any, content: str, *, color: str | None = None) -> Any:
    """Append ``content``: each Jinja tag in a run of its own, ``**...**`` bold, a no-break space before « : »."""
    for index, chunk in enumerate(BOLD.split(content)):
        for piece in TAG.split(chunk):
            if not piece:
                continue
            is_tag = TAG.fullmatch(piece) is not None
            run = paragraph.add_run(piece if is_tag else piece.replace(" :", "\u00a0:"))
            run.bold = True if index % 2 else None
            if color:
                run.font.color.rgb = RGBColor.from_string(color)
            if is_tag:
                run.font.no_proof = True  # no spelling marks nor autocorrection inside a tag
    return paragraph


def paragraph(container: Any, line: str, style: str, first: Any = None) -> Any:
    """One markup line as a paragraph of a document or a cell (``first``: an empty paragraph to reuse)."""
    page_break, before = False, None
    if line.startswith(("{%p ", "{%tr ")):
        style = "Balise de modèle"
    elif line.startswith("- "):
        style, line = "List Bullet", line[2:]
    elif match := STYLE_LINE.fullmatch(line):
        style, *options = [part.strip() for part in match.group(1).split(",")]
        line = match.group(2)
        page_break = "saut" in options
        before = next((float(o.split()[1]) for o in options if o.startswith("espace ")), None)
    result = first if first is not None else container.add_paragraph()
    result.style = style
    if line.startswith("> "):
        result.alignment, line = WD_ALIGN_PARAGRAPH.RIGHT, line[2:]
    if page_break:
        result.paragraph_format.page_break_before = True
    if before is not None:
        result.paragraph_format.space_before = Pt(before)
    return text(result, line)


def _cell(cell: Any, content: str | Sequence[str], style: str = "Texte de tableau") -> None:
    lines = content.split(" // ") if isinstance(content, str) else content
    for index, line in enumerate(lines):
        paragraph(cell, line.strip(), style, cell.paragraphs[0] if index == 0 else None)


def _table(doc: Any, rows: int, widths: Sequence[float]) -> Any:
    table = doc.add_table(rows=rows, cols=len(widths))
    table.style, table.alignment, table.autofit = "Table Grid", WD_TABLE_ALIGNMENT.CENTER, False
    borders = _xml("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_xml(f"w:{side}", val="single", sz="4", space="0", color="A6A6A6"))
    table._tbl.tblPr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)
    for row in table.rows:
        row._tr.get_or_add_trPr().append(_xml("w:cantSplit"))
    return table


def _label(cell: Any, content: str, fill: str) -> None:
    _cell(cell, content, "En-tête de tableau")
    shading = _xml("w:shd", val="clear", color="auto", fill=fill)
    cell._tc.get_or_add_tcPr().insert_element_before(shading, "w:noWrap", "w:tcMar", "w:vAlign", "w:hideMark")
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def grid(doc: Any, spec: str, rows: Sequence[list[str]]) -> None:
    """``[tableau x in liste ; phrase si vide]``: header row, then one row per element of the list."""
    loop, _, empty = spec.partition(";")
    loop, empty = loop.strip(), empty.strip()
    if empty:
        paragraph(doc, f"{{%p if {loop.split(' in ', 1)[1]} %}}", "Normal")
    table = _table(doc, 4, [float(row[1]) for row in rows])
    for cell, row in zip(table.rows[0].cells, rows, strict=True):
        _label(cell, row[0], "D9E2F3")
    table.rows[0]._tr.trPr.append(_xml("w:tblHeader"))  # repeated at the top of each page
    for row, tag in ((table.rows[1], f"{{%tr for {loop} %}}"), (table.rows[3], "{%tr endfor %}")):
        merged = row.cells[0].merge(row.cells[-1])
        _cell(merged, tag)
    for cell, row in zip(table.rows[2].cells, rows, strict=True):
        _cell(cell, row[2])
    if empty:
        for line in ("{%p else %}", empty, "{%p endif %}"):
            paragraph(doc, line, "Normal")


def fields(doc: Any, spec: str, rows: Sequence[list[str]]) -> None:
    """``[champs largeur]``: shaded labels on the left, values on the right."""
    label = float(spec or 45)
    table = _table(doc, len(rows), (label, TEXT_WIDTH - label))
    for row, (title, value) in zip(table.rows, rows, strict=True):
        _label(row.cells[0], title, "EEF2F8")
        _cell(row.cells[1], value)


def frame(doc: Any, rows: Sequence[list[str]]) -> None:
    """``[cadre]``: a bordered box, left blank for handwritten notes."""
    lines = [line for label, blanks in rows for line in [label] + [""] * int(blanks)]
    _cell(_table(doc, 1, (TEXT_WIDTH,)).cell(0, 0), lines)


def variable_grid(doc: Any, name: str) -> None:
    """``[grille x]``: header ``x.entete`` + ``x.colonnes``, one row per ``x.lignes`` (``libelle``, ``valeurs``)."""
    table = _table(doc, 4, (45, 40, 45, 40))
    header = table.rows[0].cells
    _label(header[0], f"{{{{ {name}.entete }}}}", "D9E2F3")
    _cell(header[1], f"{{%tc for colonne in {name}.colonnes %}}")
    _label(header[2], "{{ colonne }}", "D9E2F3")
    _cell(header[3], "{%tc endfor %}")
    table.rows[0]._tr.trPr.append(_xml("w:tblHeader"))
    for row, tag in ((table.rows[1], f"{{%tr for ligne in {name}.lignes %}}"), (table.rows[3], "{%tr endfor %}")):
        _cell(row.cells[0].merge(row.cells[-1]), tag)
    cells = table.rows[2].cells
    _cell(cells[0], "{{ ligne.libelle }}")
    _cell(cells[1], "{%tc for valeur in ligne.valeurs %}")
    _cell(cells[2], "> {{ valeur }}")
    _cell(cells[3], "{%tc endfor %}")
    table._tbl.tblPr.append(_xml("w:tblCaption", val="grille"))


def build(title: str, markup: str, body: str = "Normal", header_text: tuple[str, str] = SESSION_HEADER) -> Any:
    """The document ``title`` whose content is ``markup`` (see the module docstring)."""
    doc = new_document(title, header_text)
    block: tuple[str, str, list[list[str]]] | None = None
    for line in (re.sub(r"\s+", " ", raw).strip() for raw in markup.strip().splitlines()):
        if block is None and line.startswith("[grille ") and line.endswith("]"):
            variable_grid(doc, line[len("[grille ") : -1].strip())
        elif block is None and line.startswith(("[tableau ", "[champs", "[cadre")):
            kind, _, spec = line[1:-1].partition(" ")
            block = (kind, spec, [])
        elif block is None and line:
            paragraph(doc, line, body)
        elif block is not None and line == "[fin]":
            kind, spec, rows = block
            if kind == "tableau":
                grid(doc, spec, rows)
            elif kind == "champs":
                fields(doc, spec, rows)
            else:
                frame(doc, rows)
            block = None
        elif block is not None and line:
            block[2].append([part.strip() for part in line[1:].split("|", 1 if block[0] == "champs" else 2)])
    return doc


def title_block(title: str) -> str:
    return f"""
        [Organisme] {{{{ organisme.nom }}}}
        [Coordonnées] {{{{ organisme.adresse }}}}
        [Coordonnées] {{% if organisme.telephone %}}Tél. {{{{ organisme.telephone }}}}{{% endif %}}{{% if organisme.telephone and organisme.courriel %}} — {{% endif %}}{{{{ organisme.courriel }}}}
        [Title] {title}
        [Subtitle] {{{{ seance.instance }}}} du {{{{ seance.date_longue }}}}
        **Séance n° {{{{ seance.numero }}}}**{{% if seance.heure %}} — {{{{ seance.heure }}}}{{% endif %}}{{% if seance.lieu %}} — {{{{ seance.lieu }}}}{{% endif %}}
    """


def letter_head(recipient: str, reference: str, subject: str, more: str = "") -> str:
    """Sender, recipient (lines separated by « // »), date, reference (then ``more``) and subject."""
    lines = recipient.split(" // ")
    return f"""
        [Organisme] {{{{ organisme.nom }}}}
        [Coordonnées] {{{{ organisme.adresse }}}}
        [Coordonnées] {{% if organisme.telephone %}}Tél. {{{{ organisme.telephone }}}}{{% endif %}}{{% if organisme.telephone and organisme.courriel %}} — {{% endif %}}{{{{ organisme.courriel }}}}
        [Destinataire, espace 36] {lines[0]}
        {"".join(f"[Destinataire] {line}{chr(10)}" for line in lines[1:])}
        [Destinataire, espace 18] Le {{{{ genere_le }}}}
        [Mention, espace 24] {reference}
        {more}
        [Corps de lettre, espace 6] **Objet :** {subject}
    """


ODJ = """
    [tableau ligne in menages ; Aucun ménage n'est inscrit à l'ordre du jour.]
    | N° | 8 | {{ ligne.rang }}
    | Ménage | 17 | {{ ligne.numero }}
    | Titulaire | 33 | {{ ligne.titulaire }}
    | Commune | 27 | {{ ligne.commune }}
    | Motif d'inscription | 35 | {{ ligne.motif }}
    | Étape | 30 | {{ ligne.etape }}
    | Dette | 20 | > {{ ligne.dette }}
    [fin]
"""

PRECONISATIONS = """
    | Pour | 26 | {{ preco.destinataire }}
    | Préconisation | 58 | {{ preco.type }}
    | Précisions | 62 | {{ preco.texte }}
    | Échéance | 24 | {{ preco.echeance }}
    [fin]
"""

CONFIDENTIEL = "Il contient des informations nominatives couvertes par le secret professionnel"

FICHE = """
    {%p for fiche in fiches %}
    [Heading 1, saut] Fiche n° {{ fiche.rang }} — ménage n° {{ fiche.numero }}
    [Subtitle] {{ fiche.titulaire }} — {{ fiche.commune }}
    **Motif d'inscription :** {{ fiche.motif }}
    [Heading 2] Le ménage
    [champs]
    | Titulaire | {{ fiche.titulaire }}
    | Date de naissance | {{ fiche.date_naissance }}
    | Téléphone | {{ fiche.telephone }}
    | Conjoint | {{ fiche.conjoint }}
    | Composition | {{ fiche.situation_familiale }}{% if fiche.situation_familiale and fiche.enfants %} — {% endif %}{% if fiche.enfants %}enfants à charge : {{ fiche.enfants }}{% endif %}
    | Adresse | {{ fiche.adresse }}
    | Adresses précédentes | {%p if fiche.adresses_precedentes %} // {%p for adresse in fiche.adresses_precedentes \
        %} // {{ adresse }} // {%p endfor %} // {%p else %} // Aucune. // {%p endif %}
    [fin]
    [Heading 2] Le logement
    [champs]
    | Bailleur | {{ fiche.bailleur }}{% if fiche.type_bailleur %} ({{ fiche.type_bailleur }}){% endif %}{% if fiche.parc %} — {{ fiche.parc }}{% endif %}
    | Logement | {% if fiche.numero_logement %}n° {{ fiche.numero_logement }}{% endif %}{% if fiche.numero_logement and fiche.date_bail %} — {% endif %}{% if fiche.date_bail %}bail du {{ fiche.date_bail }}{% endif %}
    | Loyer | {{ fiche.loyer }}{% if fiche.charges %} + {{ fiche.charges }} de charges{% endif %}{% if fiche.loyer_charges %} = **{{ fiche.loyer_charges }}**{% endif %}
    | Allocataire | {%p if fiche.allocataire %} // {{ fiche.allocataire }}{% if fiche.montant_aide %} — aide au logement : \
        {{ fiche.montant_aide }}{% endif %}{% if fiche.tiers_payant %} — tiers payant : {{ fiche.tiers_payant }}{% endif %} // {%p else %} // Non connu comme \
        allocataire. // {%p endif %}
    [fin]
    [Heading 2] La dette
    **Dernière dette connue :** {% if fiche.dette %}{{ fiche.dette }} au {{ fiche.date_dette }}{% else %}aucune{% endif %}
    [tableau dette in fiche.dettes ; Aucune évolution de la dette connue.]
    | Date | 30 | {{ dette.date }}
    | Dette | 35 | > {{ dette.dette }}
    | Loyer | 35 | > {{ dette.loyer }}
    | Source | 70 | {{ dette.source }}
    [fin]
    [Heading 2] La procédure
    **Étape :** {{ fiche.etape }} (depuis le {{ fiche.date_etape }})
    **Prochaine échéance :** {% if fiche.prochaine_echeance %}{{ fiche.prochaine_echeance }}{% else %}aucune connue{% endif %}
    [tableau acte in fiche.evenements ; Aucun acte daté.]
    | Date | 22 | {{ acte.date }}
    | Acte | 50 | {{ acte.libelle }}
    | Étape | 38 | {{ acte.etape }}
    | Montant | 25 | > {{ acte.montant }}
    | Source | 35 | {{ acte.source }}
    [fin]
    [Heading 2] L'accompagnement
    [champs]
    | Service | {{ fiche.service }}
    | Référent | {{ fiche.referent }}
    | Affectation | {{ fiche.affectation }}
    | Suivis sociaux | {%p if fiche.suivis %} // {%p for suivi in fiche.suivis %} // {{ suivi }} // {%p endfor %} // \
        {%p else %} // Aucun suivi connu. // {%p endif %}
    [fin]
    [Heading 2] Alertes
    {%p if fiche.alertes %}
    {%p for alerte in fiche.alertes %}
    - {{ alerte }}
    {%p endfor %}
    {%p else %}
    Aucune alerte.
    {%p endif %}
    [Heading 2] Avis antérieurs
    [tableau avis in fiche.avis_precedents ; Aucun avis antérieur.]
    | Séance | 45 | {{ avis.seance }}
    | Avis | 45 | {{ avis.avis }}
    | Texte | 80 | {{ avis.texte }}
    [fin]
    [Heading 2] Préconisations antérieures et leur suivi
    [tableau preco in fiche.preconisations ; Aucune préconisation antérieure.]
    | Séance | 20 | {{ preco.seance }}
    | Pour | 22 | {{ preco.destinataire }}
    | Préconisation | 58 | **{{ preco.type }}** // {{ preco.texte }}
    | Échéance | 21 | {{ preco.echeance }}
    | Suivi | 27 | {{ preco.statut }}
    | Réexamen | 22 | {{ preco.reexamen }}
    [fin]
    [Heading 2] Notes du secrétariat
    {%p if fiche.notes %}
    {%p for note in fiche.notes %}
    - {{ note.date }} — {{ note.texte }}
    {%p endfor %}
    {%p else %}
    Aucune note.
    {%p endif %}
    [Heading 2] Avis de la commission
    [cadre]
    | Avis : | 6
    | Préconisations : | 6
    | Réexamen le : | 1
    [fin]
    {%p endfor %}
"""

AVIS = """
    {%p if decision.avis %}
    La commission a émis l'avis suivant : **{{ decision.avis }}**.
    {%p if decision.avis_texte %}
    [Citation d'avis] {{ decision.avis_texte }}
    {%p endif %}
    {%p else %}
    La commission n'a pas encore rendu d'avis ; il vous sera communiqué ultérieurement.
    {%p endif %}
    {%p if decision.preconisations %}
    Elle formule les préconisations suivantes :
    [tableau preco in decision.preconisations]
    PRECONISATIONS
    {%p endif %}
    {%p if decision.reexamen %}
    [Corps de lettre, espace 8] SUJET sera de nouveau examinée lors de la séance du **{{ decision.reexamen }}**.
    {%p endif %}
""".replace("PRECONISATIONS", PRECONISATIONS)

CONTACT = """
    Pour toute question, le secrétariat de la commission est joignable au {{ organisme.telephone }} ou à l'adresse \
        {{ organisme.courriel }}.
"""

SALUTATIONS = "Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées."

DOCUMENTS: dict[str, tuple[str, str, str]] = {
    "ordre_du_jour": ("Ordre du jour", "Normal", title_block("Ordre du jour") + """
        Situations inscrites : **{{ seance.nombre_menages }}**
    """ + ODJ + f"""
        [Mention, espace 6] Document établi le {{{{ genere_le }}}}. {CONFIDENTIEL} : il est réservé aux membres de \
            la commission.
    """),
    "dossier_seance": ("Dossier de séance", "Normal", title_block("Dossier de séance") + f"""
        [Mention] Ce dossier a été établi le {{{{ genere_le }}}}. {CONFIDENTIEL} : il est remis aux seuls membres de \
            la commission et doit être restitué ou détruit à l'issue de la séance.
        [Heading 1] Ordre du jour
    """ + ODJ + FICHE),
    "releve_decisions": ("Relevé de décisions", "Normal", title_block("Relevé de décisions") + """
        {%p if decisions %}
        {%p for decision in decisions %}
        [Heading 2] {{ decision.rang }}. Ménage n° {{ decision.numero }} — {{ decision.titulaire }}
        [champs 35]
        | Commune | {{ decision.commune }}
        | Étape | {{ decision.etape }}
        | Avis | {%p if decision.avis %} // **{{ decision.avis }}** // {%p else %} // Aucun avis enregistré. // \
            {%p endif %}
        | Motivation | {{ decision.avis_texte }}
        | Réexamen | {%p if decision.reexamen %} // le {{ decision.reexamen }} // {%p else %} // Pas de réexamen \
            prévu. // {%p endif %}
        [fin]
        [Normal, espace 6] **Préconisations**
        [tableau preco in decision.preconisations ; Aucune préconisation.]
    """ + PRECONISATIONS + """
        {%p endfor %}
        {%p else %}
        Aucune décision n'a été enregistrée.
        {%p endif %}
        [Mention, espace 12] Relevé établi le {{ genere_le }}.
        [Signature] {{ organisme.signataire }}
    """),
    "courrier_locataire": ("Courrier au locataire", "Corps de lettre", letter_head(
        "{{ menage.titulaire }} // {{ menage.adresse }} // {{ menage.code_postal }} {{ menage.commune }}",
        "Réf. : ménage n° {{ menage.numero }} — séance n° {{ seance.numero }}",
        "avis de la commission de coordination des actions de prévention des expulsions locatives",
    ) + """
        [Corps de lettre, espace 12] Madame, Monsieur,
        Votre situation locative a été examinée par la {{ seance.instance }} lors de sa séance du \
            {{ seance.date_longue }}.
    """ + AVIS.replace("SUJET", "Votre situation") + """
        Nous vous invitons à prendre contact sans tarder avec votre bailleur et avec le service social qui vous \
            accompagne, afin de mettre en œuvre ces préconisations et de trouver une solution durable.
    """ + CONTACT + f"""
        {SALUTATIONS}
        [Signature] {{{{ organisme.signataire }}}}
    """),
    "courrier_bailleur": ("Courrier au bailleur", "Corps de lettre", letter_head(
        "{{ bailleur }}",
        "Réf. : ménage n° {{ menage.numero }} — séance n° {{ seance.numero }}",
        "situation de votre locataire {{ menage.titulaire }}",
        """
        {%p if menage.numero_logement %}
        [Mention] Logement n° {{ menage.numero_logement }}
        {%p endif %}
        """,
    ) + """
        [Corps de lettre, espace 12] Madame, Monsieur,
        La situation de votre locataire, {{ menage.titulaire }}, occupant le logement situé {{ menage.adresse }}, \
            {{ menage.code_postal }} {{ menage.commune }}, a été examinée par la {{ seance.instance }} lors de sa \
            séance du {{ seance.date_longue }}.
    """ + AVIS.replace("SUJET", "La situation") + """
        Nous vous remercions d'informer le secrétariat de la commission des suites données à ces préconisations, \
            ainsi que de tout nouvel acte de la procédure.
    """ + CONTACT + f"""
        {SALUTATIONS}
        [Signature] {{{{ organisme.signataire }}}}
    """),
    "convocation_membres": ("Convocation", "Corps de lettre", title_block("Convocation") + """
        Madame, Monsieur,
        J'ai l'honneur de vous convier à la séance n° {{ seance.numero }} de la {{ seance.instance }} :
        [champs 30]
        | Date | **{{ seance.date_longue }}**
        | Heure | **{{ seance.heure }}**
        | Lieu | **{{ seance.lieu }}**
        [fin]
        [Heading 2] Ordre du jour
        Situations inscrites : **{{ seance.nombre_menages }}**
        [tableau point in points ; Aucun point n'est inscrit à l'ordre du jour.]
        | Point | 15 | {{ point.rang }}
        | Commune | 40 | {{ point.commune }}
        | Étape de la procédure | 45 | {{ point.etape }}
        | Motif d'inscription | 70 | {{ point.motif }}
        [fin]
        [Corps de lettre, espace 10] Les dossiers nominatifs seront remis en séance. Les membres de la commission \
            sont tenus au secret professionnel sur les situations examinées.
        En cas d'empêchement, merci de vous faire représenter et d'en informer le secrétariat ( \
            {{ organisme.telephone }} — {{ organisme.courriel }}).
        Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.
        [Signature] {{ organisme.signataire }}
    """),
    "courrier_maire": ("Courrier au maire", "Corps de lettre", letter_head(
        "Madame, Monsieur le Maire // Mairie de {{ commune }}",
        "Réf. : séance n° {{ seance.numero }}",
        "examen de situations de ménages de votre commune par la {{ seance.instance }}",
    ) + """
        [Corps de lettre, espace 12] Madame, Monsieur le Maire,
        J'ai l'honneur de vous informer que des ménages résidant à {{ commune }} seront examinés par la \
            {{ seance.instance }} lors de sa séance du {{ seance.date_longue }}, à {{ seance.heure }} ({{ seance.lieu \
            }}).
        Nombre de ménages de votre commune inscrits à l'ordre du jour : **{{ nombre }}**.
        [tableau point in points]
        | Point n° | 30 | {{ point.rang }}
        | Étape de la procédure | 90 | {{ point.etape }}
        [fin]
        [Corps de lettre, espace 10] En application du décret n° 2016-393 du 31 mars 2016 relatif à la commission de \
            coordination des actions de prévention des expulsions locatives, vous-même ou votre représentant êtes \
            invité à participer, avec voix consultative, à l'examen de ces situations. Je vous remercie de bien \
            vouloir confirmer votre présence ou celle de votre représentant auprès du secrétariat.
        Pour préserver la confidentialité des situations, les noms des ménages ne figurent pas dans ce courrier : \
            les dossiers seront présentés en séance, dont les participants sont tenus au secret professionnel.
    """ + CONTACT + """
        Je vous prie d'agréer, Madame, Monsieur le Maire, l'expression de ma haute considération.
        [Signature] {{ organisme.signataire }}
    """),
}  # fmt: skip


# -- Non-nominative reports: the territorial diagnostic and the annual report ---------------------------
REPORT_HEADER = ("{{ organisme.nom }}\t", "**Document non nominatif — secret statistique**")

REPORT_HEAD = """
    [Organisme] {{ organisme.nom }}
    [Coordonnées] {{ organisme.adresse }}
    [Title] TITRE
    [Subtitle] SOUS_TITRE
    **Territoire :** {{ territoire }} — **données au** {{ donnees_au }} — **document établi le** {{ genere_le }}
    [Mention] Document non nominatif : il ne contient aucun nom, aucune adresse ni aucun numéro de ménage. Les \
        effectifs inférieurs à {{ seuil }} sont remplacés par « < {{ seuil }} », et d'autres cases sont masquées \
        (« secret ») pour qu'ils ne puissent pas être retrouvés à partir des totaux : voir la méthode en fin de \
        document.
"""

TABLES = """
    {{ SECTION.introduction }}
    {%p for tableau in SECTION.tableaux %}
    [Heading 2] {{ tableau.titre }}
    {%p if tableau.graphique %}
    [Graphique] {{ tableau.graphique }}
    {%p endif %}
    {%p if tableau.lignes %}
    [grille tableau]
    {%p else %}
    [Mention] Aucune donnée pour la période.
    {%p endif %}
    {%p if tableau.note %}
    [Mention] {{ tableau.note }}
    {%p endif %}
    {%p endfor %}
"""

KEY_FIGURES = """
    [grille chiffres]
    {%p if etapes.graphique %}
    [Graphique] {{ etapes.graphique }}
    {%p endif %}
"""

METHOD = """
    [Heading 1, saut] Méthode
    [Heading 2] Secret statistique et couverture
    {%p for ligne in methode.secret %}
    - {{ ligne }}
    {%p endfor %}
    [Heading 2] Définition des indicateurs
    {%p for definition in methode.definitions %}
    **{{ definition.libelle }}.** {{ definition.texte }}
    {%p endfor %}
"""

REPORTS: dict[str, tuple[str, str, str]] = {
    "diagnostic": ("Diagnostic territorial", "Normal", REPORT_HEAD.replace(
        "SOUS_TITRE", "Période {{ periode }}{% if comparaison %}, comparée à la période {{ comparaison }}{% endif %}"
    ).replace(
        "TITRE", "Diagnostic territorial de la prévention des expulsions locatives"
    ) + """
        [Heading 1] Chiffres clés
    """ + KEY_FIGURES + """
        {%p for section in sections %}
        [Heading 1, saut] {{ section.titre }}
    """ + TABLES.replace("SECTION", "section") + """
        {%p endfor %}
    """ + METHOD),
    "bilan": ("Bilan annuel d'activité", "Normal", REPORT_HEAD.replace(
        "SOUS_TITRE", "Commission de coordination des actions de prévention des expulsions locatives"
    ).replace(
        "TITRE", "Bilan annuel d'activité {{ annee }}"
    ) + """
        [Heading 1] Chiffres clés de l'année {{ annee }}
        Chaque chiffre de l'année {{ annee }} est comparé à celui de l'année {{ annee_precedente }}.
    """ + KEY_FIGURES + """
        [Heading 1, saut] {{ activite.titre }}
    """ + TABLES.replace("SECTION", "activite") + """
        [Heading 1, saut] Les ménages examinés par la commission
        Séances tenues en {{ annee }} : **{{ seances }}**.
    """ + TABLES.replace("SECTION", "commission") + """
        [Heading 1, saut] Les expulsions et les objectifs de la charte
    """ + TABLES.replace("SECTION", "expulsions") + """
        [Heading 2] Objectifs de la charte de prévention des expulsions
        [tableau objectif in objectifs ; Aucun objectif chiffré n'est renseigné (fichier objectifs_charte.toml \
            du dossier de configuration, ou exploc bilan --objectifs).]
        | Objectif | 70 | {{ objectif.libelle }}
        | Cible | 28 | > {{ objectif.cible }}
        | Réalisé | 28 | > {{ objectif.realise }}
        | Résultat | 44 | {{ objectif.resultat }}
        [fin]
        [Heading 1, saut] {{ territoires.titre }}
    """ + TABLES.replace("SECTION", "territoires") + METHOD),
}  # fmt: skip


def main(arguments: Sequence[str]) -> int:
    """Build every template into ``DOSSIER`` (default: this folder); ``--seulement NOM...`` builds only those."""
    names = list(arguments)
    only = set(names[names.index("--seulement") + 1 :]) if "--seulement" in names else None
    if only is not None:
        names = names[: names.index("--seulement")]
    folder = Path(names[0]) if names else Path(__file__).resolve().parent
    for name, (title, body, markup) in DOCUMENTS.items():
        if only is None or name in only:
            build(title, markup, body).save(folder / f"{name}.docx")
            sys.stdout.write(f"{folder / name}.docx\n")
    for name, (title, body, markup) in REPORTS.items():
        if only is None or name in only:
            build(title, markup, body, REPORT_HEADER).save(folder / f"{name}.docx")
            sys.stdout.write(f"{folder / name}.docx\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
