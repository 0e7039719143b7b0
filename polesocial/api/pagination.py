"""Lists answer pages of `limit` rows from `offset`, both bounded and checked.

DRF's LimitOffsetPagination takes any `limit` (a client could ask for every row at once)
and silently ignores a value it cannot read; an offset past 64 bits crashed SQLite. Here a
value out of bounds is a French 400, and the schema carries the bounds.
"""

from rest_framework import pagination, serializers

MAX_LIMIT = 200
# Far beyond any list of this API, far below what a database integer holds.
MAX_OFFSET = 10**9


class PageSerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, required=False)
    offset = serializers.IntegerField(min_value=0, max_value=MAX_OFFSET, required=False)


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    max_limit = MAX_LIMIT
    limit_query_description = f"Nombre de lignes par page (1 à {MAX_LIMIT})."
    offset_query_description = "Position de la première ligne renvoyée (à partir de 0)."

    def paginate_queryset(self, queryset, request, view=None):
        page = PageSerializer(data={
            name: request.query_params[name]
            for name in (self.limit_query_param, self.offset_query_param)
            if name in request.query_params
        })  # fmt: skip
        page.is_valid(raise_exception=True)
        self._page = page.validated_data
        return super().paginate_queryset(queryset, request, view)

    def get_limit(self, request):
        return self._page.get(self.limit_query_param, self.default_limit)

    def get_offset(self, request):
        return self._page.get(self.offset_query_param, 0)

    def get_schema_operation_parameters(self, view):
        bounds = {
            self.limit_query_param: {"minimum": 1, "maximum": MAX_LIMIT},
            self.offset_query_param: {"minimum": 0, "maximum": MAX_OFFSET},
        }
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"].update(bounds[parameter["name"]])
        return parameters
