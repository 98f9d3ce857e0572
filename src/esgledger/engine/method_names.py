"""The name of the default method set, apart from the method sets themselves.

Command-line options show it as their default; reading it from here keeps `esgledger
--help` from loading pydantic and the method-set files (engine/methodset.py) at start.
"""

from __future__ import annotations

DEFAULT_METHOD_SET = "cn-default"
