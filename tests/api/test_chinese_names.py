"""The API gives a participant's Chinese name beside the name."""

from superconnector.directory.models import Person


def test_the_participant_record_carries_the_chinese_name(api, world):
    Person.objects.filter(email="ben@example.com").update(name_zh="陈浩然")
    body = api("organiser").get("/events/expo/participants").json()
    by_key = {p["key"]: p for p in body["items"]}
    assert by_key["ben"]["name_zh"] == "陈浩然"
    assert by_key["amy"]["name_zh"] == ""
