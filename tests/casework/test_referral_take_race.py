"""Two workers take the same referral: exactly one has it, the other is told in French.

The screen reads the referral, then the service takes it: between the two, a colleague may
have taken it. On SQLite the copy read before is enough to show it; on PostgreSQL two
threads with their own connections take it at the same moment.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from polesocial.casework.models import Referral
from polesocial.casework.services import referrals
from tests.factories import EmployerFactory, SocialWorkerFactory

TAKEN = "Cette saisine vient d'être prise par une collègue."


def waiting_referral(team):
    return referrals.referral_create(
        actor=None,
        employer=EmployerFactory(team=team),
        source="employer_hr",
        reason="Difficultés de logement",
        person_last_name="Dupont",
        person_first_name="Éloïse",
    )


@pytest.mark.django_db
def test_a_worker_whose_screen_showed_the_referral_free_is_told_a_colleague_just_took_it():
    first = SocialWorkerFactory()
    second = SocialWorkerFactory(team=first.team)
    referral = waiting_referral(first.team)
    seen_by_second = Referral.objects.get(pk=referral.pk)  # her queue, still free

    referrals.referral_take(actor=first.user, referral=Referral.objects.get(pk=referral.pk))
    with pytest.raises(ValidationError) as refused:
        referrals.referral_take(actor=second.user, referral=seen_by_second)

    assert refused.value.messages == [TAKEN]
    referral.refresh_from_db()
    assert referral.assigned_to == first


@pytest.mark.django_db
def test_a_worker_taking_again_the_referral_she_took_keeps_it():
    worker = SocialWorkerFactory()
    referral = waiting_referral(worker.team)
    stale = Referral.objects.get(pk=referral.pk)
    referrals.referral_take(actor=worker.user, referral=referral)
    assert referrals.referral_take(actor=worker.user, referral=stale).assigned_to == worker


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_taking_one_referral_at_the_same_moment_exactly_one_has_it():
    if connection.vendor != "postgresql":
        pytest.skip("Les verrous de ligne n'existent que sous PostgreSQL.")
    workers = [SocialWorkerFactory()]
    workers += [SocialWorkerFactory(team=workers[0].team) for _ in range(3)]
    referral = waiting_referral(workers[0].team)
    copies = {worker.pk: Referral.objects.get(pk=referral.pk) for worker in workers}
    start = threading.Barrier(len(workers))
    took, refused, errors = [], [], []

    def take(worker):
        try:
            start.wait()
            referrals.referral_take(actor=worker.user, referral=copies[worker.pk])
            took.append(worker.pk)
        except ValidationError as error:
            refused.append(error.messages)
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(worker,)) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(took) == 1
    assert refused == [[TAKEN]] * (len(workers) - 1)
    referral.refresh_from_db()
    assert referral.assigned_to_id == took[0]
