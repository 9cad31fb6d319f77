"""The JSON API (django-ninja): OpenAPI 3.1 at /api/v1/openapi.json, docs at /api/v1/docs.

Scoped exactly like the UI: every handler reads through the same selectors. Every error is JSON in Thai (English)
(``config/api_errors.py``): ``{"detail": "..."}`` for a refused request, ``{"errors": {"field": [...]}}`` (422) for
input that cannot be read.
"""

from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Schema
from ninja.security import django_auth

from chumchon.access.scoping import assignments_of
from chumchon.assessments.api import router as assessments_router
from chumchon.config import api_errors
from chumchon.councils.api import router as councils_router
from chumchon.geo.models import Province, Subdistrict
from chumchon.welfare import selectors as welfare_selectors
from chumchon.welfare.api import router as welfare_router

api = NinjaAPI(title="Chumchon API", version="1", urls_namespace="api")
api_errors.install(api)
api.add_router("/welfare/", welfare_router)
api.add_router("/councils/", councils_router)
api.add_router("/assessments/", assessments_router)


class ProvinceOut(Schema):
    code: str
    name_th: str
    name_en: str


class SubdistrictOut(Schema):
    code: str
    name_th: str
    name_en: str
    district_code: str
    province_code: str
    postal_codes: list[str]


class FundOut(Schema):
    code: str
    name_th: str
    subdistrict_code: str | None
    status: str
    active_members: int


class RoleOut(Schema):
    role: str
    scope_kind: str
    scope: str


class MeOut(Schema):
    username: str
    roles: list[RoleOut]


@api.get("/geo/provinces", response=list[ProvinceOut], tags=["geography"])
def provinces(request):
    """All 77 provinces with DOPA codes (public)."""
    return list(Province.objects.values("code", "name_th", "name_en"))


@api.get("/geo/subdistricts/{code}", response=SubdistrictOut, tags=["geography"])
def subdistrict(request, code: str):
    """One subdistrict by its 6-digit DOPA code (public)."""
    s = get_object_or_404(Subdistrict, code=code)
    return {"code": s.code, "name_th": s.name_th, "name_en": s.name_en, "district_code": s.district_id,
            "province_code": s.province_id, "postal_codes": [p for p in s.postal_codes.split(",") if p]}


@api.get("/me", response=MeOut, auth=django_auth, tags=["access"])
def me(request):
    """Who is logged in and what roles they hold."""
    return {"username": request.user.username, "roles": [
        {"role": a.role, "scope_kind": a.scope_kind, "scope": a.scope_label} for a in assignments_of(request.user)
    ]}


@api.get("/funds", response=list[FundOut], auth=django_auth, tags=["welfare"])
def funds(request):
    """Welfare funds in the caller's scope."""
    return [
        {"code": f.organisation.code, "name_th": f.organisation.name_th,
         "subdistrict_code": f.organisation.subdistrict_id, "status": f.status, "active_members": f.active_members}
        for f in welfare_selectors.fund_list(request.user)
    ]

