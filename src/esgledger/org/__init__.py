"""The organisation: a tree of group, subsidiaries, branches and facilities."""

from esgledger.org.loader import OrgError, build_entity, read_entities
from esgledger.org.model import Entity, EntityKind, OrgTree, Segment

__all__ = [
    "Entity",
    "EntityKind",
    "OrgError",
    "OrgTree",
    "Segment",
    "build_entity",
    "read_entities",
]
