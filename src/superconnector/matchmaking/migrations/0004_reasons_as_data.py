"""Stored reasons become data: each English sentence becomes {"code": ..., "values": {...}}.

Before, the engine wrote reasons as English sentences and the web matched them back to
their templates to translate them. Stored results are converted once here, with that old
matching (frozen below, as the templates and labels were), so nothing is lost and the
portal shows them in the reader's language before the next matching run. A sentence that
matches no template is kept as written (code "as_written"). Reversible: the reverse
writes the English sentences again.
"""

import re

from django.db import migrations

# The templates and labels as they were when reasons were stored as text (frozen copy).
TEMPLATES = {
    "answers_need_with": "Answers your need “{need}” with “{offer}”",
    "looking_for_yours": "They are looking for what you offer: “{need}” (your “{offer}”)",
    "mutual": "Mutual interest: each side has something the other needs",
    "answers_need_for": (
        "Answers your need for {need_category}: {organisation} ({kind}) offers {offer_category}"
    ),
    "needs_your_offer": "They are looking for what you offer: {organisation} needs “{need}”",
    "matched_terms": "Matched terms: {terms}",
    "cross_language": "Cross-language match ({need_language} need, {offer_language} offer)",
    "region_fit": "Region fit: {places}",
    "shared_sectors": "Shared sectors: {sectors}",
    "provides_capital": "Provides capital: {kind}",
    "caution_region": "Caution: the offer may not cover the region you need",
    "caution_service": "Caution: offers a related but different service",
}
CATEGORY_LABELS = {
    "technology": "technology",
    "investment": "investment",
    "market_access": "market access",
    "professional_service": "professional services",
    "partnership": "partnership",
    "talent": "talent",
    "procurement": "procurement",
    "support": "support",  # the label of an unknown need category
}
KIND_LABELS = {
    "investor": "an investor",
    "financial_institution": "a bank or financial institution",
    "service_provider": "a professional service provider",
    "research_institution": "a research institution",
    "university": "a university",
    "government": "a government body",
    "chamber": "a chamber of commerce",
    "association": "an association",
    "enterprise": "an enterprise",
    "startup": "a start-up",
    "organisation": "an organisation",  # the label of an unknown kind
}
LANGUAGE_LABELS = {"en": "English", "zh-Hans": "Simplified Chinese", "zh-Hant": "Traditional Chinese"}
LABELLED = {
    "need_category": CATEGORY_LABELS,
    "offer_category": CATEGORY_LABELS,
    "kind": KIND_LABELS,
    "need_language": LANGUAGE_LABELS,
    "offer_language": LANGUAGE_LABELS,
}
AS_WRITTEN = "as_written"


def _value_pattern(name):
    """A coded value is one of its labels (the engine never wrote another), so that a name
    with brackets before it, "Harbour Law (HK) (an investor)", is read correctly; the
    offer's category may also be a bare code, and comes last."""
    if name not in LABELLED or name == "offer_category":
        return f"(?P<{name}>.+?)"
    labels = sorted(LABELLED[name].values(), key=len, reverse=True)
    return f"(?P<{name}>{'|'.join(re.escape(label) for label in labels)})"


def _patterns():
    patterns = []
    for code, template in TEMPLATES.items():
        parts = re.split(r"\{(\w+)\}", template)
        regex = "".join(
            re.escape(part) if n % 2 == 0 else _value_pattern(part) for n, part in enumerate(parts)
        )
        patterns.append((code, re.compile(regex + r"\Z", re.S)))
    return patterns


PATTERNS = _patterns()


def reason_from_text(text):
    """The code and values of an English reason; labels back to their codes."""
    for code, pattern in PATTERNS:
        found = pattern.match(text)
        if found is None:
            continue
        values = {}
        for name, value in found.groupdict().items():
            codes = {label: key for key, label in LABELLED.get(name, {}).items()}
            values[name] = codes.get(value, value)
        return {"code": code, "values": values}
    return {"code": AS_WRITTEN, "values": {"text": text}}


def text_from_reason(stored):
    """The English sentence of a stored reason (the reverse)."""
    code, values = stored["code"], stored.get("values") or {}
    if code == AS_WRITTEN:
        return values.get("text", "")
    shown = {
        name: LABELLED[name].get(value, value) if name in LABELLED else value
        for name, value in values.items()
    }
    return TEMPLATES[code].format(**shown)


def _convert(apps, fields, change):
    for model, names in fields:
        Model = apps.get_model("matchmaking", model)
        changed = []
        for row in Model.objects.only("pk", *names).iterator(chunk_size=2000):
            before = [getattr(row, name) for name in names]
            for name in names:
                setattr(row, name, [change(item) for item in getattr(row, name) or []])
            if before != [getattr(row, name) for name in names]:
                changed.append(row)
            if len(changed) >= 1000:
                Model.objects.bulk_update(changed, names)
                changed = []
        if changed:
            Model.objects.bulk_update(changed, names)


FIELDS = [
    ("OpportunityMatch", ["reasons_for_need", "reasons_for_offer"]),
    ("OrganisationMatch", ["reasons"]),
    ("MeetingSuggestion", ["reasons"]),
]


def reasons_to_data(apps, schema_editor):
    _convert(apps, FIELDS, lambda item: reason_from_text(item) if isinstance(item, str) else item)


def reasons_to_text(apps, schema_editor):
    _convert(apps, FIELDS, lambda item: item if isinstance(item, str) else text_from_reason(item))


class Migration(migrations.Migration):
    dependencies = [
        ("matchmaking", "0003_matching_run_is_a_background_run"),
    ]

    operations = [
        migrations.RunPython(reasons_to_data, reasons_to_text, elidable=False),
    ]
