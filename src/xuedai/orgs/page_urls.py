"""/orgs/: the organisation tree and staff accounts."""

from django.urls import path

from . import org_views

app_name = "orgs"

urlpatterns = [
    path("", org_views.org_list, name="list"),
    path("<int:pk>/", org_views.org_detail, name="detail"),
    path("<int:pk>/users/new/", org_views.user_create, name="user_create"),
    path("users/<int:pk>/setup-link/", org_views.setup_link_issue, name="setup_link"),
    path("users/<int:pk>/unlock/", org_views.user_unlock, name="user_unlock"),
]
