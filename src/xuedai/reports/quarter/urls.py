"""/reports/quarter/: the quarter end's pages (URL names under the "quarter" namespace)."""

from django.urls import path

from . import dashboard_views, special_views, views

unit = "<int:snapshot>/unit/<int:unit>/<int:year>/"
urlpatterns = [
    path("", views.quarter_home, name="home"),
    path("snapshot/", views.snapshot_take, name="snapshot_take"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("<int:snapshot>/contracts/", dashboard_views.contracts, name="contracts"),
    path(unit, views.quality_report, name="report"),
    path(unit + "submit/", views.quality_report_submit_view, name="submit"),
    path(unit + "review/", views.quality_report_review_view, name="review"),
    path(unit + "designate/", views.designate, name="designate"),
    path(unit + "pdf/", views.quality_report_pdf, name="report_pdf"),
    path(unit + "xlsx/", views.quality_report_xlsx, name="report_xlsx"),
    path(unit + "overdue.xlsx", views.overdue_xlsx, name="overdue_xlsx"),
    path(unit + "workpaper/pdf/", views.workpaper_pdf, name="workpaper_pdf"),
    path(unit + "workpaper/xlsx/", views.workpaper_xlsx, name="workpaper_xlsx"),
    path(unit + "forecast/pdf/", views.forecast_pdf, name="forecast_pdf"),
    path(unit + "forecast/xlsx/", views.forecast_xlsx, name="forecast_xlsx"),
    path(unit + "special/", special_views.special_report, name="special"),
    path(unit + "special/submit/", special_views.special_submit, name="special_submit"),
    path(unit + "special/review/", special_views.special_review, name="special_review"),
    path(unit + "special/pdf/", special_views.special_pdf, name="special_pdf"),
    path(unit + "special/xlsx/", special_views.special_xlsx, name="special_xlsx"),
    path("<int:snapshot>/summary/", views.summary, name="summary"),
    path("<int:snapshot>/summary/report-up/", views.summary_report_up, name="summary_report_up"),
    path("<int:snapshot>/summary.xlsx", views.summary_xlsx, name="summary_xlsx"),
    path("<int:snapshot>/summary.pdf", views.summary_pdf, name="summary_pdf"),
]
