"""Background jobs on a real queue: report builds, long calculations, rollups and notifications
run outside the request, with progress.
"""
