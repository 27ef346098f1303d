"""Shared organisations and people have owners (issue 12, finding 1 and the import half of 2).

Event X's organisations and delegates are platform-wide records. Another event's import
may link them, fill their empty fields and propose changes, but never overwrite, erase or
re-point them behind the owner's back; and whatever happens is written to X's audit log.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from superconnector.directory.domain.ownership import (
    Outcome,
    change_record,
    decide,
    decide_proposal,
    proposals_awaiting,
)
from superconnector.directory.models import Organisation, Participant, Person, ProposedChange
from superconnector.events.models import AuditEntry, Event
from superconnector.exchange.importer import import_document
from superconnector.exchange.problems import ImportRejected
from superconnector.exchange.spreadsheet import import_delegate_list
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

EVENT_X = {
    "format": "superconnector/v1",
    "event": {
        "slug": "event-x",
        "name": "Innovation Expo",
        "starts_on": "2026-11-02",
        "ends_on": "2026-11-03",
    },
    "organisations": [
        {
            "key": "zhiyuan",
            "name": "Zhiyuan AI Technology",
            "name_zh": "北京智源科技有限公司",
            "kind": "research_institution",
            "region": "Beijing",
            "sectors": ["ai", "robotics"],
            "description": "Applied AI lab spun out of a Beijing university.",
            "language": "en",
            "website": "https://zhiyuan.example.com",
        },
        {
            "key": "jinghua",
            "name": "Jinghua Ventures",
            "name_zh": "京华创投",
            "kind": "investor",
            "region": "Beijing",
            "sectors": ["ai"],
            "description": "Early-stage technology investor.",
            "language": "en",
            "website": "https://jinghua.example.com",
        },
    ],
    "participants": [
        {
            "key": "wang",
            "organisation": "zhiyuan",
            "name": "Wang Jianguo",
            "title": "General Manager",
            "email": "wang.jianguo@example.com",
            "phone": "+86 10 5555 0101",
        },
        {
            "key": "chen",
            "organisation": "zhiyuan",
            "name": "Chen Zhiqiang",
            "title": "CTO",
            "email": "chen.zhiqiang@example.com",
            "phone": "+86 10 5555 0102",
        },
        {
            "key": "liu",
            "organisation": "jinghua",
            "name": "Liu Xiaohong",
            "title": "Investment Director",
            "email": "liu.xiaohong@example.com",
            "phone": "+86 10 5555 0103",
        },
        {
            "key": "zhao",
            "organisation": "jinghua",
            "name": "Zhao Min",
            "title": "Analyst",
            "email": "zhao.min@example.com",
            "phone": "+86 10 5555 0104",
        },
    ],
}

# Event Y's delegate list: Chinese headers, GBK, X's organisations and e-mails, a changed
# job title, a changed organisation type and region, and blank phone cells.
GBK_CSV = (
    "姓名,职位,机构,电邮,电话,机构类型,地区\r\n"
    "Wang Jianguo,Chief Executive,Zhiyuan AI Technology,wang.jianguo@example.com,,企业,上海\r\n"
    "Chen Zhiqiang,CTO,Zhiyuan AI Technology,chen.zhiqiang@example.com,,,\r\n"
    "Liu Xiaohong,,Jinghua Ventures,liu.xiaohong@example.com,,,\r\n"
    "Zhao Min,Analyst,Jinghua Ventures,zhao.min@example.com,,,\r\n"
).encode("gbk")


def x_state() -> tuple:
    organisations = [
        (o.name, o.name_zh, o.kind, o.region, o.sectors, o.description, o.website, o.language)
        for o in Organisation.objects.order_by("name")
    ]
    people = [
        (p.email, p.name, p.title, p.phone, p.languages) for p in Person.objects.order_by("email")
    ]
    return organisations, people


@pytest.fixture
def event_x() -> Event:
    import_document(EVENT_X)
    return Event.objects.get(slug="event-x")


@pytest.fixture
def event_y() -> Event:
    return EventFactory(slug="event-y", name="Trade Fair")


def import_csv(event, **options):
    return import_delegate_list(GBK_CSV, "delegates.csv", event.slug, **options)


# --- finding 1: the GBK delegate list of another event ---------------------------------------


def test_another_events_delegate_list_overwrites_and_erases_nothing(event_x, event_y):
    before = x_state()
    import_csv(event_y)
    assert x_state() == before
    zhiyuan = Organisation.objects.get(name="Zhiyuan AI Technology")
    assert zhiyuan.name_zh == "北京智源科技有限公司"
    assert zhiyuan.website == "https://zhiyuan.example.com"
    assert zhiyuan.description.startswith("Applied AI lab")
    assert (zhiyuan.kind, zhiyuan.region) == ("research_institution", "Beijing")
    wang = Person.objects.get(email="wang.jianguo@example.com")
    assert (wang.title, wang.phone) == ("General Manager", "+86 10 5555 0101")
    assert Person.objects.get(email="liu.xiaohong@example.com").title == "Investment Director"
    # The same records, now shown by both events.
    assert Organisation.objects.count() == 2 and Person.objects.count() == 4
    assert Participant.objects.filter(event=event_y).count() == 4


def test_the_differences_become_proposals_for_the_owner(event_x, event_y):
    import_csv(event_y)
    proposals = {
        (p.record_type, p.record.name, p.field): (p.old_value, p.proposed_value)
        for p in ProposedChange.objects.all()
    }
    assert proposals == {
        ("organisation", "Zhiyuan AI Technology", "kind"): ("research_institution", "enterprise"),
        ("organisation", "Zhiyuan AI Technology", "region"): ("Beijing", "Shanghai"),  # 上海
        ("person", "Wang Jianguo", "title"): ("General Manager", "Chief Executive"),
    }
    assert {p.event.slug for p in ProposedChange.objects.all()} == {"event-y"}
    assert {p.source for p in ProposedChange.objects.all()} == {"import"}


def test_the_preview_counts_linked_rows_and_lists_every_change(event_x, event_y):
    report = import_csv(event_y, dry_run=True)
    tallies = report.as_dict()["tallies"]
    assert tallies["participants"]["created"] == 0 and tallies["participants"]["linked"] == 4
    assert tallies["organisations"]["created"] == 0 and tallies["organisations"]["linked"] == 2
    changes = {(c["name"], c["field"]): c for c in report.as_dict()["shared_changes"]}
    assert changes[("Zhiyuan AI Technology", "kind")]["outcome"] == "propose"
    assert changes[("Zhiyuan AI Technology", "kind")]["current"] == "research_institution"
    assert changes[("Zhiyuan AI Technology", "kind")]["incoming"] == "enterprise"
    assert changes[("Zhiyuan AI Technology", "kind")]["other_events"] == ["event-x"]
    assert changes[("Wang Jianguo", "title")]["outcome"] == "propose"
    assert changes[("Wang Jianguo", "phone")]["outcome"] == "ignored-blank"
    assert changes[("Liu Xiaohong", "title")]["outcome"] == "ignored-blank"
    assert changes[("Zhiyuan AI Technology", "description")]["outcome"] == "ignored-blank"
    text = report.render()
    assert "4 new" not in text and "4 linked" in text
    assert "propose (also shown by event-x)" in text


def test_the_other_events_audit_log_records_the_proposals(event_x, event_y):
    import_csv(event_y)
    in_x = AuditEntry.objects.filter(event=event_x, action="propose")
    fields = {(e.subject.split(":")[0], e.detail["field"]) for e in in_x}
    assert fields == {("organisation", "kind"), ("organisation", "region"), ("person", "title")}
    entry = in_x.get(detail__field="title")
    assert entry.detail["old"] == "General Manager"
    assert entry.detail["new"] == "Chief Executive"
    assert entry.detail["acting_event"] == "event-y"
    # Written to the acting event's log as well.
    assert AuditEntry.objects.filter(event=event_y, action="propose").count() == 3


def test_the_dry_run_writes_nothing_at_all(event_x, event_y):
    with CaptureQueriesContext(connection) as queries:
        report = import_csv(event_y, dry_run=True)
    assert report.changed
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "SAVEPOINT"))
    ]
    assert writes == []
    assert not ProposedChange.objects.exists()
    assert not Participant.objects.filter(event=event_y).exists()


def test_reimporting_the_same_list_proposes_nothing_new(event_x, event_y):
    import_csv(event_y)
    proposals = ProposedChange.objects.count()
    audits = AuditEntry.objects.count()
    report = import_csv(event_y)
    assert not report.changed
    assert "Nothing changed." in report.render()
    assert ProposedChange.objects.count() == proposals
    assert AuditEntry.objects.count() == audits
    pending = [c for c in report.shared_changes if c["outcome"] == "pending"]
    assert len(pending) == 3


# --- the JSON variant -------------------------------------------------------------------------


def test_a_json_document_with_blank_descriptions_erases_nothing(event_x):
    before = x_state()
    document = {
        "format": "superconnector/v1",
        "event": {
            "slug": "event-y",
            "name": "Fair",
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-01",
        },
        "organisations": [
            {
                "key": f"y-{row['key']}",
                "name": row["name"],
                "kind": row["kind"],
                "region": "",
                "sectors": [],
                "description": "",
                "website": row["website"],
            }
            for row in EVENT_X["organisations"]
        ],
    }
    report = import_document(document)
    assert x_state() == before
    assert report.tallies["organisations"].linked == 2
    assert not ProposedChange.objects.exists()
    outcomes = {(c["name"], c["field"]): c["outcome"] for c in report.shared_changes}
    assert outcomes[("Jinghua Ventures", "description")] == "ignored-blank"
    assert outcomes[("Jinghua Ventures", "sectors")] == "ignored-blank"
    assert outcomes[("Jinghua Ventures", "region")] == "ignored-blank"


def test_empty_fields_of_a_shared_record_are_filled_and_audited_everywhere(event_x, event_y):
    Person.objects.filter(email="zhao.min@example.com").update(phone="")
    import_document(
        {
            "format": "superconnector/v1",
            "event": {
                "slug": "event-y",
                "name": "Fair",
                "starts_on": "2026-12-08",
                "ends_on": "2026-12-09",
            },
            "organisations": [dict(EVENT_X["organisations"][1], key="jh")],
            "participants": [
                dict(EVENT_X["participants"][3], key="zm", organisation="jh", phone="+852 1234")
            ],
        }
    )
    assert Person.objects.get(email="zhao.min@example.com").phone == "+852 1234"
    for event in (event_x, event_y):
        entry = AuditEntry.objects.get(event=event, action="change", detail__field="phone")
        assert entry.detail["outcome"] == "fill" and entry.detail["new"] == "+852 1234"


# --- finding 2, import half: e-mails never move ------------------------------------------------


def test_reusing_a_participant_key_with_another_address_is_refused(event_x, event_y):
    """Event Y links X's delegate, then tries to point the same key at its own address."""
    y_document = {
        "format": "superconnector/v1",
        "event": {
            "slug": "event-y",
            "name": "Fair",
            "starts_on": "2026-12-08",
            "ends_on": "2026-12-09",
        },
        "organisations": [dict(EVENT_X["organisations"][1], key="jh")],
        "participants": [dict(EVENT_X["participants"][2], key="victim", organisation="jh")],
    }
    import_document(y_document)
    liu = Person.objects.get(email="liu.xiaohong@example.com")
    assert Participant.objects.get(event=event_y, key="victim").person == liu
    y_document["participants"][0]["email"] = "attacker@evil.example.com"
    with pytest.raises(ImportRejected) as caught:
        import_document(y_document)
    [problem] = caught.value.problems
    assert problem.path == "$.participants[0].email"
    assert "liu.xiaohong@example.com" in problem.message
    assert "attacker@evil.example.com" in problem.message
    liu.refresh_from_db()
    assert liu.email == "liu.xiaohong@example.com"
    assert not Person.objects.filter(email="attacker@evil.example.com").exists()


def test_a_delegate_list_reusing_a_key_with_another_address_is_refused(event_x):
    event = Event.objects.get(slug="event-x")
    csv = "姓名,机构,电邮,编号\r\nLiu Xiaohong,Jinghua Ventures,attacker@evil.example.com,liu\r\n"
    with pytest.raises(ImportRejected) as caught:
        import_delegate_list(csv.encode("gbk"), "list.csv", event.slug)
    [problem] = caught.value.problems
    assert problem.path == "row 2, email"
    assert "liu.xiaohong@example.com" in problem.message
    assert "attacker@evil.example.com" in problem.message
    assert Person.objects.filter(email="liu.xiaohong@example.com").exists()


# --- the rule itself --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "incoming", "shared", "may_apply", "expected"),
    [
        ("Beijing", "", True, False, Outcome.IGNORED_BLANK),
        ("Beijing", None, False, True, Outcome.IGNORED_BLANK),  # blanks never erase
        ("", "Beijing", True, False, Outcome.FILL),
        ("Beijing", "Shanghai", False, False, Outcome.APPLY),
        ("Beijing", "Shanghai", True, True, Outcome.APPLY),
        ("Beijing", "Shanghai", True, False, Outcome.PROPOSE),
        ("Beijing", "Beijing", True, False, None),
        ("", "", True, False, None),
    ],
)
def test_decide(current, incoming, shared, may_apply, expected):
    assert decide("region", current, incoming, shared=shared, may_apply=may_apply) == expected


def test_an_unshared_record_of_the_acting_event_is_updated_but_never_erased(event_x):
    document = {
        "format": "superconnector/v1",
        "event": EVENT_X["event"],
        "organisations": [dict(EVENT_X["organisations"][0], region="Shanghai", description="")],
    }
    report = import_document(document)
    zhiyuan = Organisation.objects.get(name="Zhiyuan AI Technology")
    assert zhiyuan.region == "Shanghai"
    assert zhiyuan.description.startswith("Applied AI lab")
    assert report.tallies["organisations"].updated == 1
    assert report.shared_changes == []  # only event X shows it, nobody owns it
    assert not ProposedChange.objects.exists()


def test_a_record_with_an_account_holder_is_shared_even_in_one_event(event_x, django_user_model):
    wang = Person.objects.get(email="wang.jianguo@example.com")
    wang.user = django_user_model.objects.create_user(wang.email, "a-long-password")
    wang.save()
    document = {
        "format": "superconnector/v1",
        "event": EVENT_X["event"],
        "participants": [dict(EVENT_X["participants"][0], title="Chairman")],
    }
    import_document(document)
    wang.refresh_from_db()
    assert wang.title == "General Manager"
    assert ProposedChange.objects.get(person=wang).proposed_value == "Chairman"


def test_platform_staff_importing_apply_directly(event_x, event_y, django_user_model):
    staff = django_user_model.objects.create_user("staff@example.com", "a-long-password")
    staff.is_staff = True
    staff.save()
    import_csv(event_y, actor=staff)
    assert Person.objects.get(email="wang.jianguo@example.com").title == "Chief Executive"
    assert not ProposedChange.objects.exists()
    entry = AuditEntry.objects.get(event=event_x, action="change", detail__field="title")
    assert entry.actor == staff and entry.detail["outcome"] == "apply"


# --- deciding proposals -----------------------------------------------------------------------


@pytest.fixture
def proposal(event_x, event_y) -> ProposedChange:
    import_csv(event_y)
    return ProposedChange.objects.get(field="title")


@pytest.fixture
def wang_user(django_user_model):
    wang = Person.objects.get(email="wang.jianguo@example.com")
    wang.user = django_user_model.objects.create_user(wang.email, "a-long-password")
    wang.save()
    return wang.user


def test_the_owner_accepts_and_every_event_showing_the_record_hears_of_it(
    proposal, wang_user, event_x, event_y
):
    # Wang decides on his own title and on his organisation's kind and region.
    assert {p.field for p in proposals_awaiting(wang_user)} == {"title", "kind", "region"}
    assert decide_proposal(proposal, wang_user, accept=True) == "accepted"
    assert Person.objects.get(email="wang.jianguo@example.com").title == "Chief Executive"
    proposal.refresh_from_db()
    assert proposal.decided_by == wang_user and proposal.decided_at is not None
    for event in (event_x, event_y):
        assert AuditEntry.objects.filter(event=event, action="accept").count() == 1


def test_the_owner_rejects(proposal, wang_user):
    assert decide_proposal(proposal, wang_user, accept=False) == "rejected"
    assert Person.objects.get(email="wang.jianguo@example.com").title == "General Manager"


def test_a_proposal_against_a_value_that_changed_meanwhile_is_superseded(proposal, wang_user):
    Person.objects.filter(email="wang.jianguo@example.com").update(title="Founder")
    assert decide_proposal(proposal, wang_user, accept=True) == "superseded"
    assert Person.objects.get(email="wang.jianguo@example.com").title == "Founder"


def test_only_the_owner_or_staff_decide(proposal, django_user_model):
    from django.core.exceptions import PermissionDenied

    stranger = django_user_model.objects.create_user("x@example.com", "a-long-password")
    with pytest.raises(PermissionDenied):
        decide_proposal(proposal, stranger, accept=True)
    staff = django_user_model.objects.create_user("staff@example.com", "a-long-password")
    staff.is_staff = True
    staff.save()
    assert decide_proposal(proposal, staff, accept=True) == "accepted"


def test_a_colleague_with_an_account_decides_for_the_organisation(
    event_x, event_y, django_user_model
):
    import_csv(event_y)
    chen = Person.objects.get(email="chen.zhiqiang@example.com")
    chen.user = django_user_model.objects.create_user(chen.email, "a-long-password")
    chen.save()
    kind = ProposedChange.objects.get(field="kind")
    assert kind in proposals_awaiting(chen.user)
    assert ProposedChange.objects.get(field="title") not in proposals_awaiting(chen.user)
    assert decide_proposal(kind, chen.user, accept=True) == "accepted"
    assert Organisation.objects.get(name="Zhiyuan AI Technology").kind == "enterprise"


# --- one record edited by an organiser or by its owner ----------------------------------------


def test_an_organisers_edit_of_a_shared_record_becomes_proposals(
    event_x, event_y, django_user_model
):
    import_csv(event_y)
    organiser = django_user_model.objects.create_user("orga@example.com", "a-long-password")
    jinghua = Organisation.objects.get(name="Jinghua Ventures")
    changes = change_record(
        jinghua, {"region": "Shenzhen", "description": ""}, event=event_y, actor=organiser
    )
    assert {c.field: c.outcome for c in changes} == {
        "region": "propose",
        "description": "ignored-blank",
    }
    jinghua.refresh_from_db()
    assert jinghua.region == "Beijing" and jinghua.description
    assert AuditEntry.objects.filter(event=event_x, action="propose").exists()


def test_an_organiser_never_edits_a_persons_email(event_x, django_user_model):
    from django.core.exceptions import PermissionDenied

    organiser = django_user_model.objects.create_user("orga@example.com", "a-long-password")
    wang = Person.objects.get(email="wang.jianguo@example.com")
    with pytest.raises(PermissionDenied):
        change_record(wang, {"email": "a@b.example.com"}, event=event_x, actor=organiser)


def test_staff_decide_in_the_admin(proposal, client, django_user_model, event_x):
    staff = django_user_model.objects.create_superuser("root@example.com", "a-long-password")
    client.force_login(staff)
    region = ProposedChange.objects.get(field="region")
    response = client.post(
        "/admin/directory/proposedchange/",
        {"action": "accept", "_selected_action": [proposal.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert Person.objects.get(email="wang.jianguo@example.com").title == "Chief Executive"
    client.post(
        "/admin/directory/proposedchange/",
        {"action": "reject", "_selected_action": [region.pk]},
    )
    region.refresh_from_db()
    assert region.status == "rejected" and region.decided_by == staff
    assert AuditEntry.objects.filter(event=event_x, action="reject", actor=staff).count() == 1
    assert client.get(f"/admin/directory/proposedchange/{proposal.pk}/change/").status_code == 200


def test_erasing_a_person_deletes_the_proposals_about_them(proposal):
    from superconnector.privacy.domain.erasure import erase_person

    erase_person(Person.objects.get(email="wang.jianguo@example.com"))
    assert not ProposedChange.objects.filter(field="title").exists()
    assert ProposedChange.objects.filter(field="kind").exists()  # the organisation's stay


def test_a_staff_edit_in_the_admin_is_audited_in_every_event(
    event_x, event_y, client, django_user_model
):
    import_csv(event_y)
    staff = django_user_model.objects.create_superuser("root@example.com", "a-long-password")
    client.force_login(staff)
    jinghua = Organisation.objects.get(name="Jinghua Ventures")
    response = client.post(
        f"/admin/directory/organisation/{jinghua.pk}/change/",
        {
            "name": jinghua.name,
            "name_zh": jinghua.name_zh,
            "kind": jinghua.kind,
            "region": "Shenzhen",
            "sectors": '["ai"]',
            "description": jinghua.description,
            "language": jinghua.language,
            "website": jinghua.website,
        },
    )
    assert response.status_code == 302
    assert Organisation.objects.get(pk=jinghua.pk).region == "Shenzhen"
    for event in (event_x, event_y):
        entry = AuditEntry.objects.get(event=event, action="change", detail__field="region")
        assert entry.actor == staff and entry.detail["new"] == "Shenzhen"


def test_an_event_created_by_the_import_gets_the_audit_entries_too(event_x):
    document = {
        "format": "superconnector/v1",
        "event": {"slug": "new-z", "name": "Z", "starts_on": "2026-12-08", "ends_on": "2026-12-09"},
        "organisations": [dict(EVENT_X["organisations"][1], key="jh", region="Shenzhen")],
    }
    import_document(document)
    z = Event.objects.get(slug="new-z")
    for event in (event_x, z):
        assert AuditEntry.objects.filter(
            event=event, action="propose", detail__field="region"
        ).exists()


def test_a_new_value_from_the_same_event_supersedes_its_pending_proposal(event_x, event_y):
    from superconnector.exchange.exporter import export_event

    import_csv(event_y)
    document = export_event(event_y)
    wang = next(p for p in document["participants"] if p["email"] == "wang.jianguo@example.com")
    wang["title"] = "Chairman"
    import_document(document)
    titles = dict(
        ProposedChange.objects.filter(field="title").values_list("proposed_value", "status")
    )
    assert titles == {"Chief Executive": "superseded", "Chairman": "pending"}
