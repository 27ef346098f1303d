"""What delegates type into the portal's forms: nothing legitimate is refused or altered,
markup is kept as the text it is and shown escaped to everyone who sees it, and a script
address is refused as a website with the field named."""

import pytest

from superconnector.directory.models import Opportunity, Organisation

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('xss')</script>"
# Real names and titles that a filter keyed on characters would wrongly refuse or mangle.
LEGITIMATE = [
    "O'Brien & Partners <Asia> Ltd",
    "李氏 & 陳氏律師行（香港）",
    "=Revenue +20% -cost @HK",
    'Say "hello" 👋 — naïve café',
]


def profile_form(name: str, website: str = "https://harbour-law.example.com") -> dict:
    return {
        "name": name,
        "name_zh": "",
        "kind": "service_provider",
        "region": "Hong Kong",
        "sectors": "legal",
        "website": website,
        "description": f"About {name}",
        "language": "",
    }


@pytest.mark.parametrize("text", LEGITIMATE)
def test_legitimate_text_is_kept_exactly_as_typed(amy_client, event, text):
    response = amy_client.post(f"/events/{event.slug}/profile/", profile_form(text))
    assert response.status_code == 302, response.context and response.context["form"].errors
    organisation = Organisation.objects.get(
        participations__event=event, participations__key="harbour-law"
    )
    assert (organisation.name, organisation.description) == (text, f"About {text}")

    response = amy_client.post(
        f"/events/{event.slug}/profile/opportunities/new/",
        {"direction": "offer", "category": "professional_service", "title": text},
    )
    assert response.status_code == 302
    assert Opportunity.objects.filter(event=event, title=text).exists()


def test_typed_markup_is_shown_as_text_to_the_people_who_meet_them(
    amy_client, client, event, account
):
    amy_client.post(f"/events/{event.slug}/profile/", profile_form(f"Harbour {SCRIPT} Law"))
    amy_client.post(
        f"/events/{event.slug}/profile/opportunities/new/",
        {"direction": "offer", "category": "professional_service", "title": f"IPO {SCRIPT}"},
    )
    assert Organisation.objects.filter(name=f"Harbour {SCRIPT} Law").exists()  # kept as data

    base = f"/events/{event.slug}"
    shown = {"her own profile": amy_client.get(f"{base}/profile/")}
    client.force_login(account("p2"))  # Zhang Wei has a scheduled meeting with Amy
    for url in [
        f"{base}/meetings/",
        f"{base}/agenda/",
        f"{base}/directory/?show=organisations",
        f"{base}/directory/?show=opportunities&q=IPO",
    ]:
        shown[url] = client.get(url)
    for url, page in shown.items():
        assert page.status_code == 200, url
        assert SCRIPT not in page.text, url
        assert "&lt;script&gt;" in page.text, url  # there, as text


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,<script>x</script>", "vbscript:msgbox(1)"]
)
def test_a_script_address_typed_as_the_website_is_refused_and_changes_nothing(
    amy_client, event, url
):
    before = Organisation.objects.get(
        participations__event=event, participations__key="harbour-law"
    )
    response = amy_client.post(f"/events/{event.slug}/profile/", profile_form("Renamed", url))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["website"]
    after = Organisation.objects.get(pk=before.pk)
    assert (after.name, after.website) == (before.name, before.website)
