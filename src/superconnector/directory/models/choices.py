"""Translated labels for the directory's closed vocabularies.

The codes are superconnector.vocabulary's (the exchange format's): each class lists the
same codes in the same order and adds a label for each; tests/core/test_vocabulary.py
fails if any class and its vocabulary differ, so that a code is added there first.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    STARTUP = "startup", _("Start-up")
    INVESTOR = "investor", _("Investor")
    FINANCIAL_INSTITUTION = "financial_institution", _("Bank or financial institution")
    RESEARCH_INSTITUTION = "research_institution", _("Research institution or lab")
    UNIVERSITY = "university", _("University")
    SERVICE_PROVIDER = "service_provider", _("Professional service provider")
    GOVERNMENT = "government", _("Government body")
    CHAMBER = "chamber", _("Chamber of commerce")
    ASSOCIATION = "association", _("Association")


class Language(models.TextChoices):
    EN = "en", "English"
    ZH_HANS = "zh-Hans", "简体中文"
    ZH_HANT = "zh-Hant", "繁體中文"


class Role(models.TextChoices):
    DELEGATE = "delegate", _("Delegate")
    SPEAKER = "speaker", _("Speaker")
    VIP = "vip", _("VIP")
    ORGANISER = "organiser", _("Organiser")
    PRESS = "press", _("Press")


class Direction(models.TextChoices):
    OFFER = "offer", _("Offer")
    NEED = "need", _("Need")


class Category(models.TextChoices):
    TECHNOLOGY = "technology", _("Technology")
    INVESTMENT = "investment", _("Investment")
    MARKET_ACCESS = "market_access", _("Market access")
    PROFESSIONAL_SERVICE = "professional_service", _("Professional service")
    PARTNERSHIP = "partnership", _("Partnership")
    TALENT = "talent", _("Talent")
    PROCUREMENT = "procurement", _("Procurement")
