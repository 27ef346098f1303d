from superconnector.events.models.audit import AuditEntry
from superconnector.events.models.event import Event, EventKind
from superconnector.events.models.session import MeetingSession, Slot
from superconnector.events.models.team import Right, Team

__all__ = ["AuditEntry", "Event", "EventKind", "MeetingSession", "Right", "Slot", "Team"]
