"""A reporter's answers to the collection loop: comment threads on a value, "not applicable"
with a reason for an owed indicator, and the rejections still to be answered.

The threads are the auth package's comments grouped per (entity, period, indicator); "not
applicable" answers are records of the register ``collection.not_applicable`` (the
collection package's completeness counts them as answered); rejections are read from the
ledger's revisions and the changesets that rejected them. Web and API pages call these.
"""
