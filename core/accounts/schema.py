"""OpenAPI: how the schema describes our two authentication classes (imported at start-up)."""

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme


class JWTScheme(SimpleJWTScheme):
    target_class = "core.accounts.authentication.JWTAuthentication"
    name = "jwtAuth"


class AdminSessionScheme(SessionScheme):
    target_class = "core.accounts.authentication.SessionAuthentication"
    name = "sessionAuth"
