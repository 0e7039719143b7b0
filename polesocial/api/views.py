from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    role = serializers.CharField()


@method_decorator(login_not_required, name="dispatch")
class MeView(APIView):
    """The account behind the request (session or token)."""

    serializer_class = MeSerializer

    def get(self, request):
        return Response(MeSerializer(request.user).data)
