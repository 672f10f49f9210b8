from core.api.errors import ErrorCode


class WeatherError(ErrorCode):
    WARNING_ENDED = "extreme_weather_warning_ended"
    BAD_WARNING = "extreme_weather_bad_warning"
