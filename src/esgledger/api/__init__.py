"""The JSON REST API: one router per resource, shared dependencies, one error format."""
