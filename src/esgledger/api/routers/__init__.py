"""The API's routers; `ALL_ROUTERS` is what the application mounts under /api/v1."""

from esgledger.api.routers import (
    audit,
    auth,
    catalog,
    factors,
    imports,
    materiality,
    observations,
    org,
    pathways,
    results,
    review,
    snapshots,
    targets,
    users,
    workflow,
)

ALL_ROUTERS = [
    auth.router,
    org.router,
    catalog.router,
    observations.router,
    imports.router,
    workflow.router,
    review.router,
    snapshots.router,
    results.router,
    targets.router,
    pathways.router,
    materiality.router,
    factors.router,
    users.router,
    audit.router,
]
