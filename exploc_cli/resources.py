"""Locate the resources that travel with exploc (sample data, Word templates)."""

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def bundled_dir(name: str) -> Path:
    """Return the folder ``name`` (``sample_data`` or ``templates_docx``).

    In an installed wheel it lives in ``exploc_cli/_bundled/``; in a checkout or an
    editable install it is the top-level folder of the repository.
    """
    for candidate in (_PACKAGE_DIR / "_bundled" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"Ressource introuvable : {name}")


def sample_data_dir() -> Path:
    """The bundled fake partner files of the fictional département."""
    return bundled_dir("sample_data")


def templates_dir() -> Path:
    """The shipped Word templates."""
    return bundled_dir("templates_docx")
