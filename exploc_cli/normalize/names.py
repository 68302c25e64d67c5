"""Person names: civility, nom d'usage, nom de naissance and prénoms from partner fields.

Partners write names in every order and case ("M. DUPONT Jean", "Jean-Pierre Dupont",
"MME MARTIN ÉPOUSE DURAND SOPHIE"...). Capitals tell the surname when the case is mixed; otherwise
an embedded list of common first names (prenoms.txt) decides, and when even that is ambiguous the
result assumes "NOM Prénom" and says so (ordre_incertain).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ._name_fast import (
    FastWord,
    Field,
    NamesPlan,
    PersonPlan,
    fast_fields,
    fast_words,
    names_plan,
)
from ._name_tokens import (
    CIVILITIES,
    CONNECTORS,
    COUPLE_WORDS,
    EPOUSE,
    MARKERS,
    NEE,
    WIDOW,
    Tok,
    choose_prenoms,
    tokenize,
)
from .text import clean_spaces, upper_fr

__all__ = ["ParsedNames", "Person", "parse_civility", "parse_full_name", "parse_name_fields"]


@dataclass(frozen=True, slots=True)
class Person:
    """One person: civility ("M"/"MME"), nom d'usage, nom de naissance, prénoms (display forms)."""

    civilite: str | None
    nom: str | None
    nom_naissance: str | None
    prenoms: str | None


@dataclass(frozen=True, slots=True)
class ParsedNames:
    """The holder of a signalement and, for a couple ("M. et Mme"), the second person."""

    titulaire: Person
    second: Person | None
    ordre_incertain: bool


Toks = tuple[Tok, ...]
# Words that need the general path: civilities, couples, connectors, widows and markers.
_SPECIAL_KEYS = frozenset({*CIVILITIES, *COUPLE_WORDS, *CONNECTORS, *WIDOW, *MARKERS})


def _leading_civilities(toks: Toks) -> tuple[list[str], Toks]:
    """Consume civilities, titles and the connectors between them at the start of toks."""
    civs: list[str] = []
    i = 0
    while i < len(toks):
        key = toks[i].key
        if key in CIVILITIES:
            code = CIVILITIES[key]
            if code is not None:
                civs.append(code)
        elif key in COUPLE_WORDS:
            civs.extend(COUPLE_WORDS[key])
        elif key in WIDOW:
            civs.extend(() if civs else ("MME",))
        elif not (key in CONNECTORS and civs and i + 1 < len(toks)):
            break
        i += 1
    return civs, toks[i:]


def _groups(toks: Toks) -> list[tuple[str | None, Toks]]:
    """Split on "et"/"ou" into (own civility, words) groups, dropping empty ones."""
    if not any(t.key in CONNECTORS for t in toks):
        civs, rest = _leading_civilities(toks)
        return [(civs[0] if civs else None, rest)] if toks else []
    groups: list[tuple[str | None, Toks]] = []
    start = 0
    for i in range(len(toks) + 1):
        if i == len(toks) or toks[i].key in CONNECTORS:
            if i > start:
                civs, rest = _leading_civilities(toks[start:i])
                groups.append((civs[0] if civs else None, rest))
            start = i + 1
    return groups


def _nom(toks: Sequence[Tok]) -> str | None:
    return upper_fr(" ".join(t.text for t in toks)) if toks else None


def _prenoms(toks: Sequence[Tok]) -> str | None:
    return " ".join(t.text for t in toks).title() if toks else None


def _split_marker(toks: Toks) -> tuple[Toks, int | None, str | None]:
    """Remove "épouse"/"née" markers; return the words, the first marker's position and kind."""
    if not any(t.key in MARKERS for t in toks):
        return toks, None, None
    kept: list[Tok] = []
    boundary: int | None = None
    kind: str | None = None
    for t in toks:
        marker = MARKERS.get(t.key)
        if marker is None or (not kept and marker == NEE):
            kept.append(t)
        elif kind is None:
            kind, boundary = marker, len(kept)
    return tuple(kept), boundary, kind


def _assemble(
    civ: str | None,
    pre: Sequence[Tok],
    post: Sequence[Tok],
    kind: str | None,
    prenoms: Sequence[Tok],
) -> Person:
    if kind == EPOUSE:
        usage, naissance = post, pre
    elif kind == NEE:
        usage, naissance = pre, post
    else:
        usage, naissance = [*pre, *post], ()
    birth = _nom(naissance)
    return Person(civ, _nom(usage) or birth, birth, _prenoms(prenoms))


def _strip_widow(civ: str | None, toks: Toks) -> tuple[str | None, Toks]:
    if toks and toks[0].key in WIDOW:
        return civ or "MME", toks[1:]
    return civ, toks


def _person_full(civ: str | None, toks: Toks, allow_fallback: bool) -> tuple[Person, bool]:
    """Parse one person's words holding both names in any order; returns (person, uncertain)."""
    civ, toks = _strip_widow(civ, toks)
    seq, boundary, kind = _split_marker(toks)
    start, end, uncertain = choose_prenoms(seq, boundary, allow_fallback)
    b = len(seq) if boundary is None else boundary
    if start == end:
        return _assemble(civ, seq[:b], seq[b:], kind, ()), uncertain
    pre = [t for i, t in enumerate(seq[:b]) if not start <= i < end]
    post = [t for i, t in enumerate(seq[b:], b) if not start <= i < end]
    return _assemble(civ, pre, post, kind, seq[start:end]), uncertain


def _person_fields(civ: str | None, nom: Toks, prenoms: Toks) -> Person:
    """Parse one person from a surname part (with markers) and a separate prénom part."""
    civ, nom = _strip_widow(civ, nom)
    seq, boundary, kind = _split_marker(nom)
    b = len(seq) if boundary is None else boundary
    return _assemble(civ, seq[:b], seq[b:], kind, prenoms)


def _prenom_like(t: Tok, mixed: bool) -> bool:
    """Could this lone word of a couple ("DUPONT Jean et Marie") be a prénom?"""
    return t.cls != "C" if mixed else t.tier >= 2


def _require_nom(person: Person, text: str) -> Person:
    if person.nom is None:
        raise ValueError(f"nom de famille introuvable : « {text} »")
    return person


def _civility_only(text: str) -> ValueError:
    return ValueError(f"nom vide : seule une civilité est indiquée (« {text} »)")


# --- public entry points ---------------------------------------------------------------------


def parse_civility(s: str) -> str | None:
    """Return "M" or "MME" for a civility ("Monsieur", "Mlle", "M. et Mme"...); None if empty."""
    text = clean_spaces(s)
    toks = tokenize(text)
    if not toks:
        if text:
            raise ValueError(f"civilité non reconnue : « {text} »")
        return None
    civs, rest = _leading_civilities(toks)
    if rest or not civs:
        raise ValueError(f"civilité non reconnue : « {text} »")
    return civs[0]


def _parse_simple(toks: Toks, allow_fallback: bool) -> ParsedNames | None:
    """Fast path for the usual "[civilité] two or three words" with no couple and no marker."""
    civ = None
    if toks and toks[0].key in CIVILITIES:
        civ, toks = CIVILITIES[toks[0].key], toks[1:]
    if not toks or any(t.key in _SPECIAL_KEYS for t in toks):
        return None
    start, end, uncertain = choose_prenoms(toks, None, allow_fallback)
    nom = toks if start == end else toks[:start] + toks[end:]
    return ParsedNames(Person(civ, _nom(nom), None, _prenoms(toks[start:end])), None, uncertain)


def _parse_text(text: str, allow_fallback: bool) -> ParsedNames:
    """Parse a cleaned one-field name (no comma) holding one or two persons."""
    return _parse_toks(tokenize(text), text, allow_fallback)


def _parse_toks(toks: Toks, text: str, allow_fallback: bool) -> ParsedNames:
    """_parse_text() on the words of text. Words are read only through their key, tier and class;
    their text is only copied to the result (the fast path relies on this)."""
    simple = _parse_simple(toks, allow_fallback)
    if simple is not None:
        return simple
    civs, rest = _leading_civilities(toks)
    groups = _groups(rest)
    if not any(g for _, g in groups):
        raise _civility_only(text) if toks else ValueError(f"nom vide : « {text} »")
    civ1 = civs[0] if civs else None
    civ2 = civs[1] if len(civs) > 1 else None
    if not groups[0][1]:  # "Mme et DUPONT": the first group held only a civility
        civ1, groups = groups[0][0] or civ1, groups[1:]
    c1, g1 = groups[0][0] or civ1, groups[0][1]
    if len(groups) == 1 or not groups[1][1]:
        p1, uncertain = _person_full(c1, g1, allow_fallback)
        _require_nom(p1, text)
        c2 = groups[1][0] if len(groups) > 1 and groups[1][0] else civ2
        couple = len(civs) > 1 or len(groups) > 1
        second = Person(c2, p1.nom, None, None) if couple else None
        return ParsedNames(p1, second, uncertain)
    c2, g2 = groups[1][0] or civ2, groups[1][1]
    classes = {t.cls for t in rest if t.key not in CONNECTORS}
    mixed = "C" in classes and "L" in classes
    if len(g2) == 1 and len(g1) >= 2 and _prenom_like(g2[0], mixed):
        p1, uncertain = _person_full(c1, g1, allow_fallback)
        second = Person(c2, _require_nom(p1, text).nom, None, _prenoms(g2))
        return ParsedNames(p1, second, uncertain)
    if len(g1) == 1 and len(g2) >= 2 and _prenom_like(g1[0], mixed):
        second, uncertain = _person_full(c2, g2, allow_fallback)
        p1 = Person(c1, _require_nom(second, text).nom, None, _prenoms(g1))
        return ParsedNames(p1, second, uncertain)
    if len(g1) == len(g2) == 1 and _prenom_like(g1[0], mixed) and _prenom_like(g2[0], mixed):
        raise ValueError(f"nom de famille introuvable : « {text} »")
    p1, u1 = _person_full(c1, g1, allow_fallback)
    p2, u2 = _person_full(c2, g2, allow_fallback)
    return ParsedNames(_require_nom(p1, text), p2 if p2.nom else None, u1 or u2)


@lru_cache(maxsize=4096)
def parse_full_name(text: str) -> ParsedNames:
    """Parse one field holding civility, nom and prénom in either order ("M. DUPONT Jean")."""
    words = None if "," in text else fast_words(text)
    plan = names_plan(words, _placeholder_plan) if words else None
    if plan is None or words is None:
        return _parse_full_general(text)
    second = plan[1]
    return _names(_person(plan[0], words), None if second is None else _person(second, words), plan[2])


# --- fast path: the general parser's plan for a shape of name, filled with the words ------------

_new = object.__new__
_set_civilite, _set_nom, _set_naissance, _set_prenoms = (
    Person.__dict__[f].__set__ for f in ("civilite", "nom", "nom_naissance", "prenoms")
)
_set_titulaire, _set_second, _set_incertain = (
    ParsedNames.__dict__[f].__set__ for f in ("titulaire", "second", "ordre_incertain")
)


def _names(titulaire: Person, second: Person | None, uncertain: bool) -> ParsedNames:
    """ParsedNames(titulaire, second, uncertain), built without the frozen dataclass's __init__."""
    parsed: ParsedNames = _new(ParsedNames)
    _set_titulaire(parsed, titulaire)
    _set_second(parsed, second)
    _set_incertain(parsed, uncertain)
    return parsed


def _new_person(civilite: str | None, nom: str | None, naissance: str | None, prenoms: str | None) -> Person:
    """Person(...), built without the frozen dataclass's __init__."""
    person: Person = _new(Person)
    _set_civilite(person, civilite)
    _set_nom(person, nom)
    _set_naissance(person, naissance)
    _set_prenoms(person, prenoms)
    return person


def _person(plan: PersonPlan, words: list[FastWord]) -> Person:
    """The Person of plan with the display forms of words."""
    civilite, nom, naissance, prenoms = plan
    return _new_person(civilite, _noms(words, nom), _noms(words, naissance), _prenoms_of(words, prenoms))


def _noms(words: list[FastWord], field: Field) -> str | None:
    if isinstance(field, int):
        return words[field].nom
    return None if field is None else " ".join([words[i].nom for i in field])


def _prenoms_of(words: list[FastWord], field: Field) -> str | None:
    if isinstance(field, int):
        return words[field].prenom
    return None if field is None else " ".join([words[i].prenom for i in field])


def _field(value: str | None) -> Field:
    if value is None:
        return None
    positions = tuple(int(i) for i in value.split(" "))
    return positions[0] if len(positions) == 1 else positions


def _person_plan(p: Person) -> PersonPlan:
    return p.civilite, _field(p.nom), _field(p.nom_naissance), _field(p.prenoms)


def _placeholder_plan(toks: Toks) -> NamesPlan | None:
    """_parse_toks() on words whose text is their position, as a plan; None if it raises."""
    try:
        parsed = _parse_toks(toks, "", allow_fallback=True)
        second = None if parsed.second is None else _person_plan(parsed.second)
        return _person_plan(parsed.titulaire), second, parsed.ordre_incertain
    except ValueError:  # "M. et Mme": the general parser's message names the text
        return None


def _parse_full_general(text: str) -> ParsedNames:
    """parse_full_name() for any input: the reference that the fast path must agree with."""
    cleaned = clean_spaces(text)
    if not cleaned:
        raise ValueError("nom vide")
    if "," in cleaned:
        left, right = cleaned.split(",", 1)
        right_toks = tokenize(clean_spaces(right.replace(",", " ")))
        if right_toks and tokenize(clean_spaces(left)):
            if right_toks[0].key not in CIVILITIES:  # "DUPONT, Jean": nom, then prénom
                return parse_name_fields(left, right.replace(",", " "))
            cleaned = f"{left} et {right}"  # "M. DUPONT Jean, Mme DUPONT Marie"
        cleaned = clean_spaces(cleaned.replace(",", " "))
    return _parse_text(cleaned, allow_fallback=True)


def _without_prenoms(nom: Toks, prenoms: Toks) -> Toks:
    """Drop the prénoms repeated in the Nom column ("DUPONT Jean" next to "Jean")."""
    n = len(prenoms)
    if len(nom) > n:
        keys = [t.key for t in prenoms]
        if [t.key for t in nom[-n:]] == keys:
            return nom[:-n]
        if [t.key for t in nom[:n]] == keys:
            return nom[n:]
    return nom


@lru_cache(maxsize=4096)
def parse_name_fields(nom: str, prenom: str) -> ParsedNames:
    """Parse separate Nom and Prénom columns ("DURAND épouse MARTIN", "Jean et Marie")."""
    fast = fast_fields(nom, prenom)
    if fast is None:
        return _parse_fields_general(nom, prenom)
    return _names(_new_person(None, fast[0], None, fast[1]), None, False)


def _parse_fields_general(nom: str, prenom: str) -> ParsedNames:
    """parse_name_fields() for any input: the reference that the fast path must agree with."""
    nom_c, pre_c = clean_spaces(nom), clean_spaces(prenom)
    if not nom_c:
        if pre_c:
            return parse_full_name(pre_c)
        raise ValueError("nom vide")
    pciv, p_rest = _leading_civilities(tokenize(pre_c))
    p_groups = [g for _, g in _groups(p_rest)]
    civs, rest = _leading_civilities(tokenize(nom_c))
    groups = _groups(rest)
    if not p_groups or not any(g for _, g in groups):
        # Everything is in the Nom column, or it held only a civility: read one field. A word
        # of the Nom column is split off as a prénom only when it is a clear first name.
        text = f"{nom_c} {pre_c}" if p_groups else f"{pre_c} {nom_c}"
        return _parse_text(clean_spaces(text), allow_fallback=bool(p_groups))
    civs = civs or pciv
    civ1 = civs[0] if civs else None
    civ2 = civs[1] if len(civs) > 1 else None
    c1, g1 = groups[0][0] or civ1, _without_prenoms(groups[0][1], p_groups[0])
    p1 = _require_nom(_person_fields(c1, g1, p_groups[0]), nom_c)
    prenoms2 = p_groups[1] if len(p_groups) > 1 else ()
    second: Person | None = None
    if len(groups) > 1:
        c2 = groups[1][0] or civ2
        second = _person_fields(c2, groups[1][1], prenoms2)
        if second.nom is None:
            second = Person(c2, p1.nom, None, second.prenoms)
    elif prenoms2 or civ2:
        second = Person(civ2, p1.nom, None, _prenoms(prenoms2))
    return ParsedNames(p1, second, False)
