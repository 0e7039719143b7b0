"""What the appointments API shows and accepts: who, when, where — never why."""

from __future__ import annotations

from rest_framework import serializers

from polesocial.api.serializers import ID_MAX
from polesocial.casework.enums import InterviewPlace


class AppointmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    worker = serializers.IntegerField(source="worker_id")
    employer = serializers.IntegerField(source="employer_id")
    person_name = serializers.CharField()
    contact_email = serializers.CharField()
    contact_phone = serializers.CharField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    place = serializers.CharField()
    video_link = serializers.CharField()
    employee_on_leave = serializers.BooleanField()
    drop_in_date = serializers.IntegerField(source="occurrence_id", allow_null=True)
    status = serializers.CharField()
    reminder_consent_on = serializers.DateField(allow_null=True)
    reminder_withdrawn_on = serializers.DateField(allow_null=True)


class AppointmentInputSerializer(serializers.Serializer):
    worker = serializers.IntegerField(min_value=1, max_value=ID_MAX)
    employer = serializers.IntegerField(min_value=1, max_value=ID_MAX)
    start = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField(min_value=10, max_value=240)
    place = serializers.ChoiceField(choices=InterviewPlace.choices)
    person_name = serializers.CharField(max_length=200)
    contact_email = serializers.EmailField(required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(
        max_length=30, required=False, allow_blank=True, default=""
    )
    video_link = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    employee_on_leave = serializers.BooleanField(required=False, default=False)
    drop_in_date = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, required=False, allow_null=True, default=None
    )
    reminder_consent = serializers.BooleanField(required=False, default=False)
