"""The operator's label of a fixed code in a template (`organisations.labels`):

{% load operator_labels %}{{ interview.place|label:"interview_place" }}
"""

from django import template

from polesocial.organisations import labels

register = template.Library()


@register.filter(name="label")
def label(code: str, code_list: str) -> str:
    return labels.label(code_list, code)
