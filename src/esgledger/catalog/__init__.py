"""The indicator catalog: what esgledger collects and computes, declared in YAML.

>>> from esgledger.catalog import load_catalog
>>> catalog = load_catalog()
>>> catalog.get("energy.natural_gas").name("zh")
'天然气消耗量'
>>> catalog.dependencies("energy.intensity_per_treo")
('energy.total', 'production.reo_output')
"""

from esgledger.catalog.errors import CatalogError
from esgledger.catalog.loader import load_catalog
from esgledger.catalog.model import (
    Aggregation,
    Category,
    FrameworkItem,
    Frequency,
    Indicator,
    Kind,
    QuantityType,
)
from esgledger.catalog.registry import Catalog

__all__ = [
    "Aggregation",
    "Catalog",
    "CatalogError",
    "Category",
    "FrameworkItem",
    "Frequency",
    "Indicator",
    "Kind",
    "QuantityType",
    "load_catalog",
]
