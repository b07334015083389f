"""/daily/ (namespace `daily`): the batches page."""

from django.urls import path

from . import relief_views, views

app_name = "daily"
urlpatterns = [
    path("batches/", views.batch_page, name="batches"),
    path("relief/", relief_views.relief_list, name="relief_list"),
    path("relief/<int:pk>/", relief_views.relief_detail, name="relief"),
]
