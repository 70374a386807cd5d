"""Domain errors: services raise them, the web shows them as messages, the API as JSON."""


class DomainError(Exception):
    """A rule of the domain refused the change. `code` is machine-readable and stable."""

    code = "domain_error"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.fields = fields or {}


class StateConflict(DomainError):
    """The object is not in a state that allows this action (HTTP 409)."""

    code = "invalid_state"
    status = 409


class NotAllowed(DomainError):
    """The actor may not take this action on this object (HTTP 403)."""

    code = "permission_denied"
    status = 403


class InvalidRows(DomainError):
    """A batch (bulk API request, CSV import) had bad rows: nothing was written. `errors`
    lists every bad row as {"index", "field", "message"}; the API answers `invalid_rows`."""

    code = "invalid_rows"

    def __init__(self, errors: list[dict]):
        super().__init__("Some rows are invalid; nothing was written.")
        self.errors = errors
