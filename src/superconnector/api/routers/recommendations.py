from django.http import HttpRequest
from ninja import Query, Router

from superconnector.api.auth import event_access
from superconnector.api.errors import RESTRICTED_READ_ERRORS
from superconnector.api.queries import recommendations_for
from superconnector.api.schemas import RecommendationsOut, Text

router = Router(tags=["recommendations"])


@router.get(
    "/events/{slug}/recommendations",
    response={200: RecommendationsOut, **RESTRICTED_READ_ERRORS},
    summary="Stored recommendations (organisers: the event; delegates: their organisation)",
)
def get_recommendations(
    request: HttpRequest,
    slug: Text,
    top: int = Query(10, ge=1, le=50, description="best K per list"),
):
    return recommendations_for(event_access(request, slug), top)
