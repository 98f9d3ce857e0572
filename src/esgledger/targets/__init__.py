"""Targets: commitments declared as data and their status for every period."""
