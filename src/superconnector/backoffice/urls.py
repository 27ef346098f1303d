"""Organiser back-office routes, mounted under orga/."""

from django.urls import path  # noqa: F401

app_name = "backoffice"
urlpatterns: list = []
