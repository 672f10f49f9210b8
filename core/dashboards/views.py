"""The dashboard page (/dashboard/): a session page, signed in with the second factor as the
admin is (core.accounts.admin_login), for anyone holding dashboards.view; everything it shows
comes from the dashboard API and the live websocket."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from core.accounts import two_factor
from core.accounts.admin_login import AdminLoginForm
from core.dashboards import selectors
from core.regions.models import Region
from core.regions.paths import depth
from core.regions.scoping import scope_for


class DashboardLoginForm(AdminLoginForm):
    """The admin's sign-in form without its staff-only rule: password, then the authenticator
    code for accounts that need one."""

    def confirm_login_allowed(self, user) -> None:
        AuthenticationForm.confirm_login_allowed(self, user)
        self.confirm_second_factor(user)


class DashboardLoginView(LoginView):
    form_class = DashboardLoginForm
    template_name = "dashboards/login.html"
    redirect_authenticated_user = False

    def get_default_redirect_url(self):
        return reverse("dashboard-page")


def signed_in(user) -> bool:
    if not user.is_authenticated:
        return False
    if two_factor.requires_two_factor(user):
        verified = getattr(user, "is_verified", None)
        return bool(verified and verified())
    return True


@never_cache
def dashboard_page(request):
    if not signed_in(request.user):
        return redirect(f"{reverse('dashboard-login')}?next={reverse('dashboard-page')}")
    paths = scope_for(request.user).paths_with(selectors.VIEW)
    if not paths:
        return render(request, "dashboards/no_access.html", status=403)
    top = min(paths, key=lambda p: (depth(p), p))
    region = Region.objects.get(path=top)
    return render(request, "dashboards/page.html", {"region": region})
