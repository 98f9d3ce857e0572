"""Errors of the factor library, all :class:`esgledger.errors.EsgError` subclasses.

A factor file is user input (people add their own measured NCVs or contract factors), so its
mistakes are USER errors with file and YAML line; a missing or ambiguous factor at lookup
time is also the user's to fix, by adding a factor or naming the dataset to use.
"""

from __future__ import annotations

from esgledger.errors import EsgError, NotFoundError, ValidationFailed


class FactorError(EsgError):
    """Base of every error raised by ``esgledger.factors``."""


class FactorFileError(FactorError, ValidationFailed):
    """A factor file was read completely and had problems; ``problems`` lists each one.

    The whole file is refused, so a user fixes every problem in one pass and a half-loaded
    factor set can never feed a calculation.
    """


class FactorNotFoundError(FactorError, NotFoundError):
    """No factor matches the key, date, region and dataset asked for."""


class AmbiguousFactorError(FactorError):
    """Several datasets hold a value for the lookup and none was named.

    We refuse rather than pick one: NCVs from the NDRC guideline and IPCC 2006 differ by up
    to 30 % for coal, and a silent choice would change reported emissions.
    """
