"""The API's routers; `ALL_ROUTERS` is what the application mounts under /api/v1."""

from esgledger.api.routers import auth, org

ALL_ROUTERS = [auth.router, org.router]
