"""A guard the ORM lacks for SQLite: `in` with an integer no column can hold."""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    """`in` without the integers out of the field's range: no row can match them.

    Django leaves them out of exact, gt, gte, lt and lte since 5.0 (ticket #27397), not out
    of `in`, and SQLite then raises OverflowError: an id typed or forged in a list of ids
    (a form's checkboxes, the API's `partners`) was a 500 instead of an unknown choice.
    """

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            internal_type = self.lhs.output_field.get_internal_type()
            low, high = connection.ops.integer_field_range(internal_type)
            self.rhs = [value for value in self.rhs if _within(value, low, high)]
        return super().process_rhs(compiler, connection)


def _within(value, low, high) -> bool:
    if not isinstance(value, int):
        return True
    return (low is None or value >= low) and (high is None or value <= high)
