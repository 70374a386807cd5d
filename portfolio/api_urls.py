"""API routes of the portfolio app, mounted under /api/v1/."""

from django.urls import path

from portfolio.api import PortfolioSummaryView, ValueVsEfficiencyView

urlpatterns = [
    path(
        "pilots/<int:pk>/value-vs-efficiency/",
        ValueVsEfficiencyView.as_view(),
        name="pilot-value-vs-efficiency",
    ),
    path("portfolio/summary/", PortfolioSummaryView.as_view(), name="portfolio-summary"),
]
