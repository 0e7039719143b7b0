from tests.appointments.helpers import clock  # noqa: F401  (the frozen clock fixture)
