"""Interim glossary (replaced by the full one)."""

CONCEPTS = [
    {
        "id": "hk_listing",
        "group": "listing_venue",
        "exclusive": True,
        "en": ["hong kong listing", "hkex", "chapter 18c", "chapter 18a"],
        "zh": ["港交所", "香港上市", "18c", "18a"],
    },
    {
        "id": "us_listing",
        "group": "listing_venue",
        "exclusive": True,
        "en": ["nasdaq", "nyse", "us listing"],
        "zh": ["纳斯达克", "美股上市"],
    },
]
