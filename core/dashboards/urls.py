from django.contrib.auth.views import LogoutView
from django.urls import path

from core.dashboards.views import DashboardLoginView, dashboard_page

urlpatterns = [
    path("", dashboard_page, name="dashboard-page"),
    path("login/", DashboardLoginView.as_view(), name="dashboard-login"),
    path("logout/", LogoutView.as_view(next_page="dashboard-login"), name="dashboard-logout"),
]
