"""Sending Redefine's e-mails: subjects made of user-typed names are reduced to one clean line,
so a CR/LF in a pilot name can never raise BadHeaderError after a row was claimed."""

from django.conf import settings
from django.core.mail import send_mail

SUBJECT_LIMIT = 150


def single_line(text: str, limit: int = SUBJECT_LIMIT) -> str:
    """Any run of whitespace (CR, LF, tabs, other line separators) becomes one space."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def email_send(*, subject: str, body: str, to: list[str]) -> bool:
    """Send one e-mail to the addresses given (blank ones dropped); False when none is left."""
    recipients = [address for address in to if address]
    if not recipients:
        return False
    send_mail(
        subject=single_line(subject),
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )
    return True
