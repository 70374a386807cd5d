"""Password change and reset by e-mail: Django's own views, forms and one-time tokens, with
templates in templates/registration/ and links that always point at SITE_URL."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path


class PasswordResetView(auth_views.PasswordResetView):
    """The link in the e-mail is built from SITE_URL, never from the request's Host header,
    so a forged Host cannot send someone's reset token to another site."""

    html_email_template_name = None
    email_template_name = "registration/password_reset_email.html"

    def form_valid(self, form):
        self.extra_email_context = {"site_url": settings.REDEFINE_SITE_URL.rstrip("/")}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    def get_context_data(self, **kwargs):
        hours = settings.PASSWORD_RESET_TIMEOUT // 3600
        return super().get_context_data(timeout_hours=hours, **kwargs)


urlpatterns = [
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password/reset/", PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
