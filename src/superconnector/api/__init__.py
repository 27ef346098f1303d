"""The REST API (Django Ninja), versioned under /api/v1/."""
