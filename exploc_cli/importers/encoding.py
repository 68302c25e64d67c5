"""Text encoding and CSV delimiter detection (stdlib only; see STYLE.md §4).

Encoding: a BOM wins; otherwise the whole file is scanned once in binary chunks: strict
UTF-8 if it decodes, cp1252 (Excel's "CSV" on a French Windows) if no valid UTF-8 multibyte
sequence appears, and a refusal when the file mixes both.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import SourceFileError

_CHUNK = 1 << 20
_UTF8_MULTIBYTE = re.compile(rb"[\xC2-\xDF][\x80-\xBF]|[\xE0-\xEF][\x80-\xBF]{2}|[\xF0-\xF4][\x80-\xBF]{3}")
_CP1252_UNDEFINED = re.compile(rb"[\x81\x8D\x8F\x90\x9D]")
DELIMITERS = (";", ",", "\t", "|")
DELIMITER_NAMES = {";": "point-virgule", ",": "virgule", "\t": "tabulation", "|": "barre verticale"}


@dataclass(frozen=True)
class TextEncoding:
    name: str  # codec name given to open()
    label: str  # what the user is told


def detect_encoding(path: Path, display: str) -> TextEncoding:
    """Detect the encoding of a text file, refusing binary and mixed-encoding files."""
    with path.open("rb") as handle:
        head = handle.read(4)
        if head.startswith(codecs.BOM_UTF8):
            _scan(handle, display, skip=3, utf8_only=True)
            return TextEncoding("utf-8-sig", "UTF-8 avec BOM")
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return TextEncoding("utf-16", "UTF-16")
        handle.seek(0)
        verdict = _scan(handle, display, skip=0, utf8_only=False)
    return verdict


def _scan(handle: io.BufferedReader, display: str, *, skip: int, utf8_only: bool) -> TextEncoding:
    handle.seek(skip)
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    line = 1
    utf8_ok = True
    first_invalid_line: int | None = None
    first_multibyte_line: int | None = None
    first_undefined_line: int | None = None
    previous_tail = b""
    while chunk := handle.read(_CHUNK):
        nul = chunk.find(b"\x00")
        if nul >= 0:
            nul_line = line + chunk.count(b"\n", 0, nul)
            raise SourceFileError(
                display,
                f"le fichier contient des octets nuls (ligne {nul_line}) : "
                "ce n'est pas un fichier texte CSV (fichier binaire, ou UTF-16 sans marque ?)",
                hint="Enregistrez-le depuis Excel au format « CSV (séparateur : point-virgule) » ou .xlsx.",
            )
        if utf8_ok:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as err:
                utf8_ok = False
                first_invalid_line = line + chunk.count(b"\n", 0, err.start)
        if first_multibyte_line is None:
            match = _UTF8_MULTIBYTE.search(previous_tail + chunk)
            if match:
                offset = match.start() - len(previous_tail)
                first_multibyte_line = line + chunk.count(b"\n", 0, max(offset, 0))
        if first_undefined_line is None:
            match = _CP1252_UNDEFINED.search(chunk)
            if match:
                first_undefined_line = line + chunk.count(b"\n", 0, match.start())
        line += chunk.count(b"\n")
        previous_tail = chunk[-3:]
    if utf8_ok:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8_ok = False
            first_invalid_line = line
    if utf8_ok:
        return TextEncoding("utf-8", "UTF-8")
    if utf8_only or first_multibyte_line is not None:
        raise SourceFileError(
            display,
            "encodage mélangé : le fichier contient à la fois de l'UTF-8"
            f" (ligne {first_multibyte_line or 1}) et des caractères dans un autre encodage"
            f" (ligne {first_invalid_line}).",
            hint="Ouvrez-le dans un tableur et enregistrez-le à nouveau en CSV UTF-8 ou en .xlsx.",
        )
    if first_undefined_line is not None:
        raise SourceFileError(
            display,
            f"caractère illisible à la ligne {first_undefined_line} : le fichier n'est ni en UTF-8"
            " ni en Windows-1252 (ou n'est pas un fichier texte).",
        )
    return TextEncoding("cp1252", "Windows-1252")


def detect_delimiter(sample: str) -> str:
    """Choose the delimiter whose field counts are the most consistent over the first lines.

    ``csv.Sniffer`` picks ``,`` on ``;`` files with decimal commas; counting fields per record
    for each candidate and keeping the one with the largest consistent count does not.
    """
    best: tuple[int, int, int] = (0, 0, 0)
    chosen = ";"
    for rank, delimiter in enumerate(DELIMITERS):
        try:
            records = list(csv.reader(io.StringIO(sample), delimiter=delimiter))
        except csv.Error:
            continue
        counts = [len(r) for r in records if any(cell.strip() for cell in r)]
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        if mode < 2:
            continue
        score = (counts.count(mode), mode, -rank)
        if score > best:
            best, chosen = score, delimiter
    return chosen
