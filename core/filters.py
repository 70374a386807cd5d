"""Filters shared by the apps' FilterSets, forms and serializers: ids that fit a primary key."""

import django_filters
from django import forms

# The largest primary key a database column holds (PostgreSQL's bigint): a larger id is a
# 400 or "not found", never an overflow.
MAX_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """A filter on a row's id: whole numbers from 1 to MAX_ID, anything else a 400."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)
