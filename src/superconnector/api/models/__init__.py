from superconnector.api.models.token import ApiToken

__all__ = ["ApiToken"]
