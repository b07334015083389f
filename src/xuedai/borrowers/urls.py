"""Borrower pages under /borrowers/ (namespace `borrowers`). Records are addressed by id only."""

from django.urls import path

from . import views

app_name = "borrowers"

urlpatterns = [
    path("", views.borrower_list, name="list"),
    path("new/", views.borrower_create, name="create"),
    path("<int:pk>/", views.borrower_detail, name="detail"),
    path("<int:pk>/edit/", views.borrower_edit, name="edit"),
    path("<int:pk>/reveal/", views.borrower_reveal, name="reveal"),
    path("<int:pk>/password-reset/", views.student_password_reset, name="password_reset"),
    path("<int:pk>/co-borrowers/new/", views.co_borrower_add, name="co_borrower_add"),
    path("<int:pk>/co-borrowers/<int:co_pk>/edit/", views.co_borrower_edit, name="co_borrower_edit"),
    path("<int:pk>/contacts/new/", views.emergency_contact_add, name="contact_add"),
]
