"""Evidence behind the numbers: invoices, meter photos, spreadsheets attached to a value
or to an import, kept content-addressed (ledger/files.py) and linked in "evidence.links".
"""
