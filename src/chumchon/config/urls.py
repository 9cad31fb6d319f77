"""The site's URL map: one include per domain app."""

from django.urls import include, path
from django.views.i18n import set_language

from chumchon.access import views as access_views
from chumchon.config.api import api
from chumchon.core import views as core_views
from chumchon.insights import urls as insights_urls

urlpatterns = [
    path("", access_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("chumchon.access.urls")),
    path("audit/", include("chumchon.core.urls")),
    path("areas/", include("chumchon.geo.urls")),
    path("people/", include("chumchon.people.urls")),
    path("funds/", include("chumchon.welfare.urls")),
    path("ledger/", include("chumchon.ledger.urls_statements")),
    path("ledger/", include("chumchon.ledger.urls")),
    path("councils/", include("chumchon.councils.urls")),
    path("assessments/", include("chumchon.assessments.urls")),
    path("data/", include("chumchon.dataio.urls")),
    path("insights/", include("chumchon.insights.urls")),
    path("open-data/", include(insights_urls.open_patterns)),
    path("api/v1/", api.urls),
]
