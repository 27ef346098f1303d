"""The interactive API docs (Swagger UI), served entirely from this installation.

Ninja serves Swagger from its bundled static files only when `ninja` is in INSTALLED_APPS,
and otherwise from a CDN. Rather than depend on a third party at run time (and on the
settings), the page here is our own template, and its four assets are read from Ninja's
package folder by `docs_asset`.
"""

from __future__ import annotations

import json
import mimetypes
from pathlib import Path

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from ninja.openapi.docs import DocsBase

ASSET_DIR = Path(ninja.__file__).parent / "static" / "ninja"
# Named one by one: the view must not serve anything else from the package folder.
ASSETS = frozenset(
    {"swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-init.js", "favicon.svg", "favicon.png"}
)


class LocalSwagger(DocsBase):
    def render_page(self, request: HttpRequest, api, **kwargs) -> HttpResponse:
        settings = {
            "url": self.get_openapi_url(api, kwargs),
            "layout": "BaseLayout",
            "deepLinking": True,
        }
        return render(
            request,
            "api/docs.html",
            {
                "api": api,
                "swagger_settings": json.dumps(settings),
                # The page sends the CSRF token, so that "Try it out" works in a signed-in browser.
                "add_csrf": any(getattr(auth, "csrf", False) for auth in api.auth or ()),
                "css_url": reverse("api-docs-asset", args=["swagger-ui.css"]),
                "bundle_url": reverse("api-docs-asset", args=["swagger-ui-bundle.js"]),
                "init_url": reverse("api-docs-asset", args=["swagger-ui-init.js"]),
                "icon_url": reverse("api-docs-asset", args=["favicon.svg"]),
            },
        )


@require_safe
@cache_control(max_age=86400, public=True)
def docs_asset(request: HttpRequest, name: str) -> FileResponse:
    if name not in ASSETS:
        raise Http404
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse((ASSET_DIR / name).open("rb"), content_type=content_type)
