"""The register's resources under /api/v1/registry/."""

from rest_framework.routers import SimpleRouter

from core.registry.api.views import HouseholdViewSet, ResidentTagViewSet, ResidentViewSet, TransferViewSet
from core.registry.api.views_housing import BuildingViewSet, CompoundViewSet, HouseViewSet, PlaceNameViewSet
from core.registry.api.views_relations import ContactViewSet, TenancyViewSet

router = SimpleRouter()
router.register("place-names", PlaceNameViewSet, basename="place-name")
router.register("compounds", CompoundViewSet, basename="compound")
router.register("buildings", BuildingViewSet, basename="building")
router.register("houses", HouseViewSet, basename="house")
router.register("households", HouseholdViewSet, basename="household")
router.register("residents", ResidentViewSet, basename="resident")
router.register("tags", ResidentTagViewSet, basename="resident-tag")
router.register("transfers", TransferViewSet, basename="transfer")
router.register("contacts", ContactViewSet, basename="contact")
router.register("tenancies", TenancyViewSet, basename="tenancy")
