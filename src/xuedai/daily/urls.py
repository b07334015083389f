"""/daily/ (namespace `daily`): the batches page."""

from django.urls import path

from . import views

app_name = "daily"
urlpatterns = [path("batches/", views.batch_page, name="batches")]
