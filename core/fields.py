"""Model fields that carry their bounds once, for every form, the API and the admin."""

from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models


def _amount(value: int, unit: str) -> str:
    if not unit:
        return str(value)
    return f"{value} {unit}" if value == 1 else f"{value} {unit}s"


class BoundedIntegerField(models.PositiveSmallIntegerField):
    """A small whole number between `min_value` and `max_value`, said in `unit` ("week"):
    the model validates it with a friendly message, forms render `min`/`max` from it and
    DRF's ModelSerializer copies the validators, so a page and the API refuse the same."""

    def __init__(self, *args, min_value: int = 0, max_value: int = 32767, unit: str = "", **kw):
        self.min_value, self.max_value, self.unit = min_value, max_value, unit
        kw["validators"] = [
            MinValueValidator(min_value, f"At least {_amount(min_value, unit)}."),
            MaxValueValidator(max_value, f"At most {_amount(max_value, unit)}."),
            *kw.get("validators", []),
        ]
        super().__init__(*args, **kw)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        kwargs.update(min_value=self.min_value, max_value=self.max_value, unit=self.unit)
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        messages = {
            "min_value": f"At least {_amount(self.min_value, self.unit)}.",
            "max_value": f"At most {_amount(self.max_value, self.unit)}.",
        }
        bounds = {"min_value": self.min_value, "max_value": self.max_value}
        return super().formfield(**{**bounds, "error_messages": messages, **kwargs})


class BoundedTextField(models.TextField):
    """Free text with a ceiling, so a paste of a whole document is refused with a message."""

    def __init__(self, *args, max_length: int = 2000, **kwargs):
        self.too_long = f"At most {max_length} characters (this has %(show_value)d)."
        kwargs["validators"] = [
            MaxLengthValidator(max_length, self.too_long),
            *kwargs.get("validators", []),
        ]
        super().__init__(*args, max_length=max_length, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"error_messages": {"max_length": self.too_long}, **kwargs})


def fields_check(instance: models.Model, names) -> None:
    """Validate `names` of an unsaved change against the fields' own bounds, as a DomainError
    with per-field messages, so every caller of a service (page, API, admin, task) is refused
    the same way, before the database's constraints would be."""
    from django.core.exceptions import ValidationError

    from core.errors import DomainError

    names = set(names)
    others = [f.name for f in instance._meta.fields if f.name not in names]
    try:
        instance.clean_fields(exclude=others)
    except ValidationError as error:
        problems = error.message_dict
        first = next(iter(problems.values()))[0]
        raise DomainError(first, code="invalid", fields=problems) from error
