"""The organiser back office: events, imports, vetting, runs, check-in, dashboards, exports."""
