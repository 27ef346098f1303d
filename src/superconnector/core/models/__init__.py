from superconnector.core.models.user import User

__all__ = ["User"]
