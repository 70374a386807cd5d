"""Web pages of the hrapi app."""

app_name = "hrapi"
urlpatterns = []
