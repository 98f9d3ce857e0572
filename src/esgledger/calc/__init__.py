"""Calculation runs: a ledger snapshot computed by the engine under one or more method sets."""
