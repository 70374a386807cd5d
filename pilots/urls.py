"""Web pages of the pilots app."""

app_name = "pilots"
urlpatterns = []
