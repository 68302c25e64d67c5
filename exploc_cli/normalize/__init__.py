"""Normalisers for partner values: pure functions, stdlib only, cached on repeated inputs.

Every ``ValueError`` they raise carries a French message meant for the rejects file.
"""

from __future__ import annotations

from .addresses import (
    Address,
    address_key,
    format_address,
    normalize_commune,
    normalize_postcode,
    parse_address,
)
from .amounts import format_centimes_fr, parse_amount_centimes
from .dates import format_date_fr, parse_date
from .identifiers import (
    normalize_allocataire,
    normalize_identifier,
    normalize_insee,
    parse_bool_fr,
    parse_int,
)
from .names import ParsedNames, Person, parse_civility, parse_full_name, parse_name_fields
from .text import clean_spaces, fold, fold_compact, normalize_header
from .vocabulary import (
    EVENT_LABELS,
    EVENT_RANK,
    fold_overrides,
    parse_act_type,
    parse_decision_cfp,
    parse_decision_cfp_detail,
    parse_jugement_decision,
    parse_organisme,
    parse_parc,
    parse_type_bailleur,
)

__all__ = [
    "EVENT_LABELS",
    "EVENT_RANK",
    "Address",
    "ParsedNames",
    "Person",
    "address_key",
    "clean_spaces",
    "fold",
    "fold_compact",
    "fold_overrides",
    "format_address",
    "format_centimes_fr",
    "format_date_fr",
    "normalize_allocataire",
    "normalize_commune",
    "normalize_header",
    "normalize_identifier",
    "normalize_insee",
    "normalize_postcode",
    "parse_act_type",
    "parse_address",
    "parse_amount_centimes",
    "parse_bool_fr",
    "parse_civility",
    "parse_date",
    "parse_decision_cfp",
    "parse_decision_cfp_detail",
    "parse_full_name",
    "parse_int",
    "parse_jugement_decision",
    "parse_name_fields",
    "parse_organisme",
    "parse_parc",
    "parse_type_bailleur",
]
