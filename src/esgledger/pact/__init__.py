"""PACT Technical Specifications v3: footprints as PACT payloads, the host's list, get and
events, and a client fetching suppliers' footprints.
"""
