from liaison.receptions.tests.fixtures import (  # noqa: F401 - pytest finds fixtures by name
    colleague,
    deputy,
    future_day,
    held_day,
)
