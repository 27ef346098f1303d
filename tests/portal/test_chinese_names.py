"""The Chinese interface shows Chinese names of people, organisations and events where they
exist (core/names.py, the `display_name` filter every template uses); English shows `name`."""

import re

import pytest

from superconnector.core.names import display_name, other_name
from superconnector.directory.models import Participant, Person


class Record:
    def __init__(self, name: str, name_zh: str = "") -> None:
        self.name, self.name_zh = name, name_zh


@pytest.mark.parametrize(
    ("language", "shown", "other"),
    [
        ("zh-hans", "陈浩然", "Chen Haoran"),
        ("zh-hant", "陈浩然", "Chen Haoran"),
        ("zh_TW", "陈浩然", "Chen Haoran"),
        ("en", "Chen Haoran", "陈浩然"),
        ("", "Chen Haoran", "陈浩然"),
    ],
)
def test_display_name_follows_the_language(language, shown, other):
    haoran = Record("Chen Haoran", "陈浩然")
    assert display_name(haoran, language) == shown
    assert other_name(haoran, language) == other


def test_a_record_without_a_chinese_name_shows_its_name_everywhere():
    amy = Record("Amy Leung", "  ")
    assert display_name(amy, "zh-hans") == "Amy Leung"
    assert other_name(amy, "zh-hans") == other_name(amy, "en") == ""
    same = Record("京港研讨会", "京港研讨会")
    assert other_name(same, "en") == ""


@pytest.mark.django_db
def test_the_public_event_page_shows_the_chinese_title_in_chinese(client, event):
    english = client.get(f"/events/{event.slug}/")
    assert "<h1>Beijing-Hong Kong Seminar</h1>" in english.text
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get(f"/events/{event.slug}/")
    assert "<h1>京港研讨会</h1>" in chinese.text
    assert "Beijing-Hong Kong Seminar" in chinese.text  # still there, second


@pytest.fixture
def zhang_in_chinese(event):
    zhang = Participant.objects.get(event=event, key="p2")
    Person.objects.filter(pk=zhang.person_id).update(name_zh="张伟")
    return zhang


@pytest.mark.django_db
def test_the_agenda_shows_people_and_organisations_in_chinese(amy_client, event, zhang_in_chinese):
    amy_client.cookies["django_language"] = "zh-hans"
    response = amy_client.get(f"/events/{event.slug}/agenda/")
    assert response.status_code == 200
    assert "<h3>张伟 " in response.text  # the Chinese name first on his card
    assert re.search(r"<p><a href=\"[^\"]+\">智元人工智能</a><br>Zhiyuan AI</p>", response.text)
    assert "京港研讨会" in response.text  # the event, in the navigation


@pytest.mark.django_db
def test_the_agenda_in_english_keeps_the_latin_names_first(amy_client, event, zhang_in_chinese):
    amy_client.cookies["django_language"] = "en"
    response = amy_client.get(f"/events/{event.slug}/agenda/")
    assert "<h3>Zhang Wei " in response.text
    assert re.search(r"<p><a href=\"[^\"]+\">Zhiyuan AI</a><br>智元人工智能</p>", response.text)


@pytest.mark.django_db
def test_the_meetings_page_names_the_sender_in_chinese(amy_client, event, zhang_in_chinese):
    amy_client.cookies["django_language"] = "zh-hans"
    response = amy_client.get(f"/events/{event.slug}/meetings/")
    assert "<strong>张伟</strong>" in response.text
    assert '<span class="muted">智元人工智能</span>' in response.text


@pytest.mark.django_db
def test_a_delegate_gives_their_chinese_name_on_the_profile_page(amy_client, event):
    from superconnector.events.models import AuditEntry

    audited = AuditEntry.objects.filter(event=event).count()
    page = amy_client.get(f"/events/{event.slug}/profile/")
    assert 'name="person-name_zh"' in page.text
    response = amy_client.post(
        f"/events/{event.slug}/profile/",
        {
            "form": "person",
            "person-name": "Amy Leung",
            "person-name_zh": "梁美儀",
            "person-title": "Partner",
            "person-phone": "+852 5555 0100",
        },
    )
    assert response.status_code == 302
    amy = Person.objects.get(email="amy.leung@example.com")
    assert (amy.name_zh, amy.title, amy.phone) == ("梁美儀", "Partner", "+852 5555 0100")
    assert AuditEntry.objects.filter(event=event).count() > audited  # like any person edit


@pytest.mark.django_db
def test_the_person_form_leaves_the_organisation_alone(amy_client, event):
    from superconnector.directory.models import Organisation

    before = Organisation.objects.get(name="Harbour Law LLP").description
    response = amy_client.post(
        f"/events/{event.slug}/profile/",
        {"form": "person", "person-name": "", "person-name_zh": "梁美儀"},
    )
    assert response.status_code == 200  # a name is required: the form comes back
    assert "梁美儀" in response.text
    assert Person.objects.get(email="amy.leung@example.com").name_zh == ""
    assert Organisation.objects.get(name="Harbour Law LLP").description == before
