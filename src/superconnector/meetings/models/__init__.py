from superconnector.meetings.models.availability import Availability, UnavailableBlock
from superconnector.meetings.models.meeting import Meeting, MeetingSeat
from superconnector.meetings.models.request import (
    ACTIVE_STATUSES,
    Block,
    MeetingRequest,
    MeetingRequestChange,
    RequestStatus,
)

__all__ = [
    "ACTIVE_STATUSES",
    "Availability",
    "Block",
    "Meeting",
    "MeetingRequest",
    "MeetingRequestChange",
    "MeetingSeat",
    "RequestStatus",
    "UnavailableBlock",
]
