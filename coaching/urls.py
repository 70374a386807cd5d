"""Web pages of the coaching app."""

app_name = "coaching"
urlpatterns = []
