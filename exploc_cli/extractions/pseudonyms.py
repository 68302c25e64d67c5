"""Stable pseudonyms for studies and evaluation (``exploc extraire --pseudonymiser``).

A ménage's pseudonym is a keyed hash (HMAC-SHA-256) of its number with a secret drawn once per
base and kept in it: the same household gets the same pseudonym in every extraction from this
base, and nobody without the base can go back from the pseudonym to the number. Names, exact
addresses, telephone, allocataire and dwelling numbers are left out; the birth date keeps its year.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from sqlalchemy import Engine, insert, select

from ..store.db import write_transaction
from ..store.models import Parametre

PARAMETRE = Parametre.__table__  # type: ignore[attr-defined]
KEY_NAME = "cle_pseudonymes"


def pseudonym_key(engine: Engine) -> bytes:
    """The base's secret key, drawn the first time it is needed.

    Read first without the write lock: a read-only role (``exploc droits lecture``, which draws
    the key) never writes here, and an extraction does not wait for an import to read it.
    """
    query = select(PARAMETRE.c.valeur).where(PARAMETRE.c.cle == KEY_NAME)
    with engine.connect() as connection:
        found = connection.execute(query).scalar()
    if found is not None:
        return bytes.fromhex(str(found))
    with write_transaction(engine) as connection:
        found = connection.execute(query).scalar()
        if found is None:
            found = secrets.token_hex(32)
            connection.execute(insert(PARAMETRE), {"cle": KEY_NAME, "valeur": found})
    return bytes.fromhex(str(found))


def pseudonym(key: bytes, menage_id: int) -> str:
    """« M-K7Q2D9XRPA »: ten base-32 characters of the keyed hash of the ménage's number."""
    digest = hmac.new(key, f"menage:{menage_id}".encode(), hashlib.sha256).digest()
    return "M-" + base64.b32encode(digest).decode()[:10]
