"""Users, roles, login sessions, API tokens and login throttling."""
