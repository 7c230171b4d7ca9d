STEPS = [(1, "Session"), (2, "Time"), (3, "Your details"), (4, "Health questions"), (5, "Confirm")]


def booking_steps(request) -> dict:
    """The names of the booking steps, for the progress list on each step's page."""
    return {"steps_list": STEPS}
