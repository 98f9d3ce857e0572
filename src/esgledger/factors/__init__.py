"""Factor sets: cited, dated, regional values (coal equivalents, NCVs, EFs, grid, GWPs).

Data live in ``factors/data`` as YAML, one file per dataset version, each value with its
citation and confidence tag; ``data/SOURCES.md`` says what was verified and how. Load them,
with the user's own YAML or CSV factor files, with :func:`load_factor_sets` and look values
up with :class:`FactorLibrary`. :func:`new_key_notes`, :func:`unknown_override_entities`,
:func:`unknown_regions`, :func:`unused_region_notes` and :func:`unreported_year_notes` find
user factors that would change nothing; :func:`scale_notes` those far from every shipped
value of their key (a unit slip).
"""

from esgledger.factors.errors import (
    AmbiguousFactorError,
    FactorError,
    FactorFileError,
    FactorNotFoundError,
)
from esgledger.factors.keys import new_key_notes
from esgledger.factors.loader import (
    DATA_DIR,
    factor_set_plugins,
    load_factor_sets,
    read_factor_file,
    shipped_factor_sets,
)
from esgledger.factors.lookup import DatasetInfo, FactorLibrary, VectorLookup
from esgledger.factors.model import Confidence, Factor, FactorSet, OverrideScope
from esgledger.factors.reach import (
    unknown_override_entities,
    unknown_regions,
    unreported_year_notes,
    unused_region_notes,
)
from esgledger.factors.scale import scale_notes

__all__ = [
    "DATA_DIR",
    "AmbiguousFactorError",
    "Confidence",
    "DatasetInfo",
    "Factor",
    "FactorError",
    "FactorFileError",
    "FactorLibrary",
    "FactorNotFoundError",
    "FactorSet",
    "OverrideScope",
    "VectorLookup",
    "factor_set_plugins",
    "load_factor_sets",
    "new_key_notes",
    "read_factor_file",
    "scale_notes",
    "shipped_factor_sets",
    "unknown_override_entities",
    "unknown_regions",
    "unreported_year_notes",
    "unused_region_notes",
]
