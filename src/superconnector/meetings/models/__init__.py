from superconnector.meetings.models.availability import Availability, UnavailableBlock
from superconnector.meetings.models.meeting import Meeting, MeetingSeat
from superconnector.meetings.models.outcome import MeetingOutcome, OutcomeKind
from superconnector.meetings.models.publication import SchedulePublication
from superconnector.meetings.models.request import (
    ACTIVE_STATUSES,
    Block,
    MeetingRequest,
    MeetingRequestChange,
    RequestStatus,
)
from superconnector.meetings.models.runs import DraftStatus, ScheduleDraft, SchedulingRun

__all__ = [
    "ACTIVE_STATUSES",
    "Availability",
    "Block",
    "DraftStatus",
    "Meeting",
    "MeetingOutcome",
    "MeetingRequest",
    "MeetingRequestChange",
    "MeetingSeat",
    "OutcomeKind",
    "RequestStatus",
    "ScheduleDraft",
    "SchedulePublication",
    "SchedulingRun",
    "UnavailableBlock",
]
