"""The site's URLs without the portal: an installation where /reports/ is the public page."""

from gongkai.config.urls import urlpatterns as _site

urlpatterns = [p for p in _site if getattr(p, "namespace", None) != "portal"]
