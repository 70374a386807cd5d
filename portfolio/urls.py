"""Web pages of the portfolio app."""

app_name = "portfolio"
urlpatterns = []
