"""`in` with an integer no column can hold finds nothing, on SQLite as elsewhere."""

import pytest

from polesocial.organisations.models import Employer
from tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db
TOO_BIG = 10**20  # beyond any integer column: SQLite used to raise OverflowError


def test_an_id_out_of_range_matches_no_row_and_the_others_still_do():
    employer = EmployerFactory()
    assert list(Employer.objects.filter(pk__in=[TOO_BIG, employer.pk])) == [employer]
    assert not Employer.objects.filter(pk__in=[TOO_BIG]).exists()
    assert not Employer.objects.filter(pk__in=[-TOO_BIG]).exists()


def test_a_subquery_is_left_alone():
    EmployerFactory()
    assert Employer.objects.filter(pk__in=Employer.objects.values("pk")).count() == 1
