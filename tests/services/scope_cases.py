"""Scope-matrix cases of community services (/api/v1/services/), found by
tests/scope_matrix/cases.py: one per resource, and one per action that needs an object in a
particular state (a signed-up volunteer to check in, a started visit to end …)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from core.accounts.models import RoleAssignment
from core.accounts.roles import Role
from services.contributions import PROVIDER_STAFF
from services.models import ProviderStaff, Signup, Visit
from tests.scope_matrix.cases import Case, register
from tests.services import factories as f
from tests.world import World, make_resident_user, make_staff


def _grid(world: World, community):
    return world.grid_of(community)


# volunteers ---------------------------------------------------------------------------------------


def _volunteer(world, community):
    return f.volunteer(_grid(world, community))


def _project_with_signup(world, community, *, checked_in: bool = False):
    grid = _grid(world, community)
    project = f.project(grid)
    start = timezone.now() - timedelta(hours=2) if checked_in else None
    project.matrix_signup = Signup.objects.create(
        project=project, volunteer=f.volunteer(grid), checked_in_at=start
    )
    return project


register(
    "services-volunteer",
    case=Case(
        make=_volunteer,
        payload=lambda world, community: {
            "region": _grid(world, community).pk,
            "name": "赵志愿",
            "mobile": "13800138000",
        },
    ),
)
register(
    "services-team",
    case=Case(
        make=lambda world, community: f.volunteer(_grid(world, community)).teams.create(
            region=_grid(world, community), region_path=_grid(world, community).path, name="志愿服务队"
        ),
        payload=lambda world, community: {"region": _grid(world, community).pk, "name": "邻里互助队"},
    ),
)
register(
    "services-project",
    case=Case(
        make=lambda world, community: f.project(_grid(world, community)),
        payload=lambda world, community: {
            "region": _grid(world, community).pk,
            "title": "敬老服务",
            "place": "社区养老服务站",
            "starts_at": (timezone.now() + timedelta(days=1)).isoformat(),
            "ends_at": (timezone.now() + timedelta(days=1, hours=2)).isoformat(),
            "cap": 5,
        },
        update_payload=lambda world, community, obj: {"volunteer": f.volunteer(_grid(world, community)).pk},
        success={"signup": 201},
    ),
)
register(
    "services-project-check-in",
    case=Case(
        make=_project_with_signup,
        update_payload=lambda world, community, obj: {"signup": obj.matrix_signup.pk},
    ),
)
register(
    "services-project-check-out",
    case=Case(
        make=lambda world, community: _project_with_signup(world, community, checked_in=True),
        update_payload=lambda world, community, obj: {"signup": obj.matrix_signup.pk},
    ),
)
register("services-hours", case=Case(make=lambda world, community: f.hours(_grid(world, community))))


def _banked_volunteer(world, community):
    entry = f.hours(_grid(world, community), amount="3")
    f.time_bank(_grid(world, community))
    return entry.volunteer


def _new_grid_payload(world, community):
    """A time bank at a new grid of the community (a grid runs at most what its community does)."""
    from tests.world import region

    grid = region(f"新网格{next(f.SERIAL)}", 5, community)
    return {"region": grid.pk, "name": "邻里时间银行"}


register(
    "services-volunteer-draw",
    case=Case(
        make=_banked_volunteer,
        update_payload=lambda world, community, obj: {"hours": "1.00", "note": "助浴服务"},
    ),
)
register(
    "services-time-bank",
    case=Case(make=lambda world, community: f.time_bank(_grid(world, community)), payload=_new_grid_payload),
)

# meals --------------------------------------------------------------------------------------------


def _settlement(world, community):
    from services.meals import settlement_close

    point = f.meal_point(_grid(world, community))
    actor = world.secretary if community == world.community_a else world.worker_b
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    return settlement_close(actor=actor, point=point.pk, month=last_month)


register(
    "services-meal-point",
    case=Case(
        make=lambda world, community: f.meal_point(_grid(world, community)),
        payload=lambda world, community: {
            "region": _grid(world, community).pk,
            "name": "长者食堂",
            "operator": "幸福餐饮公司",
            "address": "滨江路1号",
            "capacity": 80,
            "hours": "11:00-13:00",
            "price": "15.00",
        },
    ),
)
register(
    "services-meal-rule",
    case=Case(
        make=lambda world, community: f.meal_rule(world.district),
        payload=lambda world, community: {
            "district": world.district.pk,
            "government_share": "6",
            "effective_from": "2030-01-01",
        },
        update_payload=lambda world, community, obj: {"effective_to": "2031-12-31"},
        placed_at=lambda world, community: world.district,
        unscoped=True,
    ),
)
register(
    "services-meal",
    case=Case(
        make=lambda world, community: f.meal(
            f.meal_point(_grid(world, community)), f.elder(_grid(world, community))
        ),
        payload=lambda world, community: {
            "point": f.meal_point(_grid(world, community)).pk,
            "resident": f.elder(_grid(world, community)).pk,
            "period": "lunch",
            "method": "id_card",
        },
    ),
)
register(
    "services-settlement",
    case=Case(
        make=_settlement,
        payload=lambda world, community: {
            "point": f.meal_point(_grid(world, community)).pk,
            "month": (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1).isoformat(),
        },
        update_payload=lambda world, community, obj: {"amount": "-5.00", "note": "重复记录一餐"},
        success={"correct": 201},
    ),
)

# venues -------------------------------------------------------------------------------------------

register(
    "services-room",
    case=Case(
        make=lambda world, community: f.room(_grid(world, community)),
        payload=lambda world, community: {
            "region": _grid(world, community).pk,
            "name": "多功能厅",
            "capacity": 50,
            "opens_at": "08:00",
            "closes_at": "21:00",
        },
    ),
)
register(
    "services-booking",
    case=Case(
        make=lambda world, community: f.booking(_grid(world, community)),
        payload=lambda world, community: {
            "room": f.room(_grid(world, community)).pk,
            "starts_at": f.tomorrow_at(9).isoformat(),
            "ends_at": f.tomorrow_at(11).isoformat(),
            "purpose": "居民议事会",
        },
        update_payload=lambda world, community, obj: {},  # cancel takes no body
    ),
)
register(
    "services-activity",
    case=Case(
        make=lambda world, community: f.activity(_grid(world, community)),
        payload=lambda world, community: {
            "region": _grid(world, community).pk,
            "title": "健康讲座",
            "starts_at": f.tomorrow_at(14).isoformat(),
            "ends_at": f.tomorrow_at(16).isoformat(),
            "cap": 30,
        },
        update_payload=lambda world, community, obj: {"resident": f.elder(_grid(world, community)).pk},
        success={"signup": 201},
    ),
)

# retrofits ----------------------------------------------------------------------------------------


def _retrofit(world, community):
    from services.retrofits import retrofit_open

    actor = world.secretary if community == world.community_a else world.worker_b
    return retrofit_open(actor=actor, household=f.household(_grid(world, community)).pk)


register(
    "services-retrofit",
    case=Case(
        make=_retrofit,
        payload=lambda world, community: {"household": f.household(_grid(world, community)).pk},
        update_payload=lambda world, community, obj: {
            "action": "assess",
            "checklist": {"grab_bars": "卫生间缺扶手"},
        },
    ),
)

# home services ------------------------------------------------------------------------------------


def _order(world, community, *, started: bool = False, ended: bool = False):
    """An order whose provider counts every holder of the provider-staff role among its staff
    (the matrix makes its caller before the object)."""
    grid = _grid(world, community)
    order = f.order(grid)
    holders = RoleAssignment.objects.filter(role=PROVIDER_STAFF).values_list("user_id", flat=True)
    ProviderStaff.objects.bulk_create(
        [ProviderStaff(provider=order.provider, user_id=u) for u in set(holders)]
    )
    if started or ended:
        start = timezone.now() - timedelta(hours=2)
        Visit.objects.create(
            order=order,
            checked_in_at=start,
            in_longitude=118.38,
            in_latitude=31.33,
            checked_out_at=start + timedelta(hours=1) if ended else None,
        )
    return order


_POSITION = {"longitude": "118.380000", "latitude": "31.330000"}
register(
    "services-home-service",
    case=Case(make=lambda world, community: f.home_service(), unscoped=True),
)
register("services-provider", case=Case(make=lambda world, community: f.provider(_grid(world, community))))
register(
    "services-order",
    case=Case(
        make=_order,
        payload=lambda world, community: {
            "resident": f.elder(_grid(world, community)).pk,
            "service": f.home_service().code,
            "provider": f.provider(_grid(world, community)).pk,
        },
        is_own=lambda obj, resident: False,
    ),
)
register(
    "services-order-check-in", case=Case(make=_order, update_payload=lambda world, community, obj: _POSITION)
)
register(
    "services-order-check-out",
    case=Case(
        make=lambda world, community: _order(world, community, started=True),
        update_payload=lambda w, c, o: _POSITION,
    ),
)
register(
    "services-order-rate",
    case=Case(
        make=lambda world, community: _order(world, community, ended=True),
        update_payload=lambda w, c, o: {"rating": 5},
    ),
)

# social work, directory, requests -------------------------------------------------------------------


def _request(world, community):
    from services.social import service_request

    entry = f.directory_entry()
    return service_request(actor=make_resident_user(_grid(world, community)), entry=entry.code)


register(
    "services-station",
    case=Case(
        make=lambda world, community: f.station(_grid(world, community)),
        payload=lambda world, community: {"region": community.pk, "name": "社区社工室"},
        placed_at=lambda world, community: community,
        update_payload=lambda world, community, obj: {
            "user": make_staff(Role.GRID_WORKER, obj.region).pk,  # an account at the station's place
            "qualification": "assistant",
        },
        success={"workers": 201},
    ),
)
register(
    "services-case",
    case=Case(
        make=lambda world, community: f.case(_grid(world, community)),
        payload=lambda world, community: {
            "station": f.station(_grid(world, community)).pk,
            "resident": f.elder(_grid(world, community)).pk,
            "title": "独居老人关爱",
        },
        update_payload=lambda world, community, obj: {"kind": "assessment", "text": "需要每周探访"},
        success={"entries": 201},
    ),
)
register("services-directory", case=Case(make=lambda world, community: f.directory_entry(), unscoped=True))
register(
    "services-request",
    case=Case(
        make=_request,
        payload=lambda world, community: {"entry": f.directory_entry().code},
        # A resident asks for their own place, whichever community the matrix names.
        placed_at=lambda world, community: world.grid_a1,
        is_own=lambda obj, resident: resident is not None and obj.resident_id == resident.pk,
    ),
)


_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _retrofit_with_photo(world, community):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from services.retrofits import retrofit_photo_add

    retrofit = _retrofit(world, community)
    retrofit.matrix_photo = retrofit_photo_add(
        actor=None, retrofit=retrofit, upload=SimpleUploadedFile("改造前.png", _PNG)
    )
    return retrofit


def _photo_upload(world, community, obj) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile("改造前.png", _PNG, content_type="image/png")}


register(
    "services-retrofit-photos",
    case=Case(make=_retrofit, update_payload=_photo_upload, format="multipart", success={"photos": 201}),
)
register(
    "services-retrofit-photo",
    case=Case(
        make=_retrofit_with_photo, url_kwargs=lambda obj: {"pk": obj.pk, "attachment_id": obj.matrix_photo.pk}
    ),
)
