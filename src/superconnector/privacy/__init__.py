"""Data protection (PIPL, PDPO, GDPR): consents, self-service export, erasure, audit log."""
