"""Staff logins for the tests, in the roles ``booking.groups`` defines: the admin's
screens, the staff pages and their permission checks need a user of each kind."""


def staff_member(username: str, group: str | None = None, *, password: str = "pw", **fields):
    """A staff login, in one of the roles from ``booking.groups`` when ``group`` is given."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(
        username, f"{username}@example.com", password, is_staff=True, **fields
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user
