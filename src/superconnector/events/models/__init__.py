from superconnector.events.models.event import Event, EventKind
from superconnector.events.models.session import MeetingSession, Slot

__all__ = ["Event", "EventKind", "MeetingSession", "Slot"]
