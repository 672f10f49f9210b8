from core.api.errors import ErrorCode


class ScenarioError(ErrorCode):
    """Refusals of the scenario framework (enablement and settings per place)."""

    UNKNOWN_SETTING = "scenario_unknown_setting"
    INVALID_SETTING = "scenario_invalid_setting"
    POLICY_AT_DISTRICT = "scenario_policy_at_district"
    PAST_VALIDITY = "scenario_settings_in_the_past"
    NOT_ENABLED_HERE = "scenario_not_enabled_here"
    FEED_NOT_CONFIGURED = "scenario_feed_not_configured"
    BAD_SIGNATURE = "scenario_bad_signature"
