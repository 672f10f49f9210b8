"""/api/v1/accounts/: accounts, roles, signing in and out, binding a resident record."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from core.accounts.api import auth_views, today, views

router = SimpleRouter()
router.register("users", views.UserViewSet, basename="accounts-user")
router.register("role-assignments", views.RoleAssignmentViewSet, basename="accounts-role-assignment")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="accounts-me"),
    path("me/today/", today.TodayView.as_view(), name="accounts-today"),
    path("me/corrections/", views.CorrectionRequestView.as_view(), name="accounts-correction"),
    path("token/", auth_views.TokenObtainView.as_view(), name="accounts-token"),
    path("token/refresh/", auth_views.TokenRefreshView.as_view(), name="accounts-token-refresh"),
    path("logout/", auth_views.LogoutView.as_view(), name="accounts-logout"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="accounts-password-change"),
    path(
        "password/reset/code/",
        auth_views.PasswordResetCodeView.as_view(),
        name="accounts-password-reset-code",
    ),
    path("password/reset/", auth_views.PasswordResetView.as_view(), name="accounts-password-reset"),
    path("me/totp/", auth_views.TotpSetupView.as_view(), name="accounts-totp-setup"),
    path("me/totp/confirm/", auth_views.TotpConfirmView.as_view(), name="accounts-totp-confirm"),
    path("binding/code/", auth_views.BindingCodeView.as_view(), name="accounts-binding-code"),
    path("binding/", auth_views.BindingView.as_view(), name="accounts-binding"),
    path("wechat/login/", auth_views.WeChatLoginView.as_view(), name="accounts-wechat-login"),
    *router.urls,
]
