from core.extensions import PlatformAppConfig


class SampleDomainConfig(PlatformAppConfig):
    """A domain that exists only in the test run (tests/settings.py installs it): it proves that a
    domain plugs in with one model, one role, one permission, one event type, one public route,
    one hand-off and one list, and no file under core/ edited (tests/sample_domain/test_plugs_in.py)."""

    name = "tests.sample_domain"
    label = "sample_domain"
    verbose_name = "Street lamps (sample domain)"
    part = "domain"
    api_prefix = "sample-domain"
