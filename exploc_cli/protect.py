"""Password protection of the Office files exploc writes (Agile encryption, msoffcrypto-tool).

Excel, Word and LibreOffice open such a file after asking for its password. The password is
never logged nor written anywhere, and files are encrypted in memory before they are written:
no clear copy ever touches the disk.
"""

from __future__ import annotations

import io
from pathlib import Path

from .errors import ExplocError

MIN_PASSWORD_LENGTH = 8


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ExplocError(f"Mot de passe trop court : {MIN_PASSWORD_LENGTH} caractères au moins.")
    return password


def read_password_file(path: Path) -> str:
    """The first line of ``path`` (a file only its owner can read, for scripted runs)."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as err:
        raise ExplocError(f"{path} : lecture du mot de passe impossible ({err.strerror}).") from None
    except UnicodeDecodeError:
        raise ExplocError(f"{path} : le fichier du mot de passe n'est pas un texte UTF-8.") from None
    if not lines or not lines[0].strip():
        raise ExplocError(f"{path} : le fichier du mot de passe est vide.")
    return check_password(lines[0].strip())


def encrypt_office_bytes(data: bytes, password: str) -> bytes:
    """The encrypted version of a .docx or .xlsx given as bytes."""
    from msoffcrypto.format.ooxml import OOXMLFile

    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(check_password(password), encrypted)
    return encrypted.getvalue()


def decrypt_office_bytes(data: bytes, password: str) -> bytes:
    """The clear content of an encrypted Office file (for checks and tests)."""
    import msoffcrypto

    office = msoffcrypto.OfficeFile(io.BytesIO(data))
    office.load_key(password=password)
    clear = io.BytesIO()
    try:
        office.decrypt(clear)
    except Exception as err:  # msoffcrypto's InvalidKeyError and friends
        raise ExplocError(f"Déchiffrement impossible : {err}") from None
    return clear.getvalue()
