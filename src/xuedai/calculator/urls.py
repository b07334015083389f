from django.urls import path

from . import views

app_name = "calculator"
urlpatterns = [
    path("", views.quote_page, name="quote"),
    path("my/", views.my_plan, name="my_plan"),
]
