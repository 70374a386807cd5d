"""Top-level routes: pages per app, the v1 API, its schema and docs, SCIM, health."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import views as accounts_views
from core import api_index
from core import views as core_views

# hrapi last: it ends with the JSON 404 for every other path under /api/v1/.
API_APPS = [
    "people",
    "pilots",
    "metrics",
    "coaching",
    "portfolio",
    "evidence",
    "goals",
    "weekly",
    "hrapi",
]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("accounts/login/", accounts_views.LoginView.as_view(), name="login"),
    path("accounts/oidc/login/", accounts_views.oidc_login, name="oidc_login"),
    path("accounts/oidc/callback/", accounts_views.oidc_callback, name="oidc_callback"),
    # With local passwords off the admin's own password form would be a back door.
    path("admin/login/", accounts_views.admin_login, name="admin_login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("core.passwords")),
    path("admin/", admin.site.urls),
    path("people/", include("people.urls")),
    path("pilots/", include("pilots.urls")),
    path("metrics/", include("metrics.urls")),
    path("coaching/", include("coaching.urls")),
    path("portfolio/", include("portfolio.urls")),
    path("evidence/", include("evidence.urls")),
    path("integrations/", include("hrapi.urls")),
    path("goals/", include("goals.urls")),
    path("weekly/", include("weekly.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's init script as a file: the CSP allows no inline JS.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path(
        "api/v1/",
        include(
            [
                path("", api_index.index, name="api-index"),
                *[path("", include(f"{app}.api_urls")) for app in API_APPS],
            ]
        ),
    ),
    path("scim/v2/", include("hrapi.scim.urls")),
]

# JSON under /api/ and /scim/ (an integrator's client cannot read an HTML page), HTML elsewhere.
handler500 = "core.api_index.server_error"
