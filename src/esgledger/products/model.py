"""A product system as data: processes, their exchanges per unit of reference flow, and how
co-products share the burdens.

Validated with pydantic before anything is computed, so that a bad file is refused with the
place of its fault (file and YAML line) rather than failing half-way through a matrix.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Allocation(StrEnum):
    """How a multi-output process shares its burdens between its outputs (ISO 14044 4.3.4)."""

    MASS = "mass"
    ECONOMIC = "economic"
    SUBSTITUTION = "substitution"


class Names(BaseModel):
    model_config = ConfigDict(extra="forbid")
    en: str
    zh: str


class Uncertainty(BaseModel):
    """A factor's uncertainty as data: lognormal (geometric standard deviation, as in the
    pedigree approach of ecoinvent), normal (relative standard deviation), triangular or
    uniform (relative bounds)."""

    model_config = ConfigDict(extra="forbid")
    distribution: str = Field(pattern="^(lognormal|normal|triangular|uniform)$")
    gsd: float | None = Field(default=None, gt=1)  # lognormal
    relative_sd: float | None = Field(default=None, ge=0)  # normal
    low: float | None = None  # triangular / uniform: multiples of the value
    high: float | None = None


class Quality(BaseModel):
    """PACT data-quality ratings (1 best, 3 worst) of one process's data."""

    model_config = ConfigDict(extra="forbid")
    technological: float = Field(ge=1, le=3)
    temporal: float = Field(ge=1, le=3)
    geographical: float = Field(ge=1, le=3)
    completeness: float = Field(ge=1, le=3)
    reliability: float = Field(ge=1, le=3)


class Output(BaseModel):
    """A product leaving the process, per unit of its reference flow (the first output)."""

    model_config = ConfigDict(extra="forbid")
    product: str
    amount: float = Field(gt=0)
    unit: str
    price: float | None = Field(default=None, ge=0)  # CNY per unit, for economic allocation
    substitutes: str | None = None  # background flow the co-product displaces (substitution)
    line: int = 0


class Input(BaseModel):
    """A product taken from another process, a supplier or the background."""

    model_config = ConfigDict(extra="forbid")
    product: str
    amount: float
    unit: str
    line: int = 0


class Emission(BaseModel):
    """A greenhouse gas released per unit of reference flow, stated in the file."""

    model_config = ConfigDict(extra="forbid")
    flow: str  # a gas of the characterisation set (CO2, CH4, N2O, CF4, C2F6) or "CO2e"
    amount: float
    unit: str
    primary: bool = False  # measured at the site (PACT primary data), not estimated
    line: int = 0


class LedgerEmission(BaseModel):
    """Emissions read from the ledger and engine: ``indicator`` (tCO2e) of ``entity`` over the
    period divided by ``per`` (the entity's output), as a ratio of sums. Its gases are the
    engine's (``engine.gases``), not declared here."""

    model_config = ConfigDict(extra="forbid")
    indicator: str
    share: float = Field(default=1.0, gt=0, le=1)  # of the entity's figure that is this process's
    line: int = 0


class LedgerLink(BaseModel):
    model_config = ConfigDict(extra="forbid")
    entity: str
    per: str  # output indicator, e.g. production.metal_output
    emissions: list[LedgerEmission]
    observed: list[str] = []  # activity indicators whose observations are the lineage
    # tREO per t of product, when ``per`` counts rare-earth oxide and the product mass
    reo_content: float | None = Field(default=None, gt=0, le=1)
    # units of ``per`` one pass of the process stands for (default: its reference output)
    per_amount: float | None = Field(default=None, gt=0)
    line: int = 0


class Process(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    name: Names
    outputs: list[Output] = Field(min_length=1)
    inputs: list[Input] = []
    emissions: list[Emission] = []
    ledger: LedgerLink | None = None
    allocation_shares: dict[str, float] | None = None  # declared per output, in %
    quality: Quality
    line: int = 0


class BackgroundFlow(BaseModel):
    """A purchased product whose footprint comes from a cited factor set: a key of
    ``esgledger.factors`` (with region and dataset) or a value cited here, unless a
    supplier's footprint of it is recorded (by product, or received over PACT under one of
    ``supplier_product_ids``)."""

    model_config = ConfigDict(extra="forbid")
    product: str
    unit: str  # the unit the product is counted in
    factor_key: str | None = None
    region: str | None = None
    dataset: str | None = None
    value: float | None = None  # kg CO2e per unit, when not from the factor library
    vintage: int | None = None  # the factor's year, when the period's own is not published
    gas: str = "CO2"
    citation: str | None = None
    # PACT productIds (URNs) of the suppliers' products this purchase is: a received Active
    # footprint carrying one of them replaces the factor
    supplier_product_ids: list[str] = []
    uncertainty: Uncertainty | None = None
    quality: Quality
    line: int = 0


class CarbonContent(BaseModel):
    """Carbon held in the product itself (PACT fossilCarbonContent, biogenicCarbonContent),
    kg C per kg of product, with where the figure comes from."""

    model_config = ConfigDict(extra="forbid")
    fossil: float = Field(ge=0)
    biogenic: float = Field(ge=0)
    source: str = Field(min_length=1)


class Biogenic(BaseModel):
    """The biogenic CO2 uptake the footprint declares (kg CO2 per kg of product, a removal
    is negative) and why: a footprint says so even when it is none."""

    model_config = ConfigDict(extra="forbid")
    uptake: float = Field(default=0.0, le=0)
    reason: Names


class ProductInfo(BaseModel):
    """A product the system makes that is published on its own (an EPD, a PACT footprint)."""

    model_config = ConfigDict(extra="forbid")
    name: Names
    cpc_code: str | None = None
    carbon_content: CarbonContent | None = None  # unknown: not publishable over PACT


class ProductSystem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    system: str
    name: Names
    sources: list[str] = Field(min_length=1)
    reference_product: str
    entity: str  # the producing entity (the one the footprint is published for)
    cpc_code: str | None = None
    products: dict[str, ProductInfo] = {}  # footprints published besides the reference product
    geography_country: str = "CN"
    allocation: Allocation
    gwp_dataset: str = "ipcc_ar6_gwp100"
    biogenic: Biogenic | None = None
    processes: list[Process] = Field(min_length=1)
    background: list[BackgroundFlow] = []
    source_file: str = ""  # set by the loader: where faults are reported
