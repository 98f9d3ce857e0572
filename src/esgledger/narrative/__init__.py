"""Narrative report sections: the chairman's message, governance, stakeholder
communication, case studies, outlook and the report's contact point, written in the
application as bilingual, versioned, reviewed content blocks (register ``narrative.blocks``)."""
