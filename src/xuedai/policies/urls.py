from django.urls import path

from . import views

app_name = "policies"

urlpatterns = [
    path("", views.version_list, name="list"),
    path("new/", views.version_create, name="create"),
    path("lpr/", views.lpr_list, name="lpr"),
    path("<int:pk>/", views.version_detail, name="detail"),
]
