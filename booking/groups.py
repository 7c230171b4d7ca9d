"""The staff roles: "Practitioner" and "Front desk".

Created after ``migrate`` when they do not exist yet; an administrator may change
them afterwards, and later migrations leave them alone.

- Front desk runs the schedule and patients' contact details. It never gets
  ``booking.view_intake``, so intake answers and pain scores stay hidden from it.
- Practitioners write and publish articles, see their own appointments and the
  intake answers of their own patients (enforced in ``booking.access``).
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

PRACTITIONER = "Practitioner"
FRONT_DESK = "Front desk"

ROLES = {
    FRONT_DESK: [
        "wagtailadmin.access_admin",
        *[f"booking.{action}_appointment" for action in ("view", "add", "change")],
        *[f"booking.{action}_patient" for action in ("view", "add", "change")],
        *[f"booking.{action}_timeoff" for action in ("view", "add", "change", "delete")],
        *[f"booking.{action}_workinghours" for action in ("view", "add", "change", "delete")],
        *[f"booking.{action}_practitioner" for action in ("view", "change")],
        *[f"booking.{action}_service" for action in ("view", "add", "change")],
        "booking.view_appointmentnote",
        "booking.add_appointmentnote",
        "booking.change_bookingpolicy",
        "booking.view_waitlistentry",
        "booking.change_waitlistentry",
    ],
    PRACTITIONER: [
        "wagtailadmin.access_admin",
        "booking.view_appointment",
        "booking.change_appointment",
        "booking.view_patient",
        "booking.view_intake",
        "booking.view_appointmentnote",
        "booking.add_appointmentnote",
        "booking.view_practitioner",
        "booking.view_waitlistentry",
        *[f"blog.{action}_topic" for action in ("view", "add", "change")],
        "wagtailimages.add_image",
        "wagtailimages.choose_image",
    ],
}


def _permissions(names: list[str]) -> list[Permission]:
    found = []
    for name in names:
        app_label, codename = name.split(".")
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            found.append(permission)
    return found


def ensure_staff_groups(using: str = "default", **kwargs) -> None:
    """Creates the roles that are missing, with their permissions. Idempotent.

    Runs after booking's migrations, when apps later in INSTALLED_APPS may not have
    their permissions yet: Django's own (idempotent) step creates them first.
    """
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    for name, permissions in ROLES.items():
        group, created = Group.objects.get_or_create(name=name)
        if created:
            group.permissions.set(_permissions(permissions))


def grant_article_publishing(index_page) -> None:
    """Lets practitioners write, publish and upload images for articles under ``index_page``."""
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

    group = Group.objects.get(name=PRACTITIONER)
    for codename in ("add_page", "change_page", "publish_page"):
        permission = Permission.objects.get(
            content_type__app_label="wagtailcore", codename=codename
        )
        GroupPagePermission.objects.get_or_create(
            group=group, page=index_page, permission=permission
        )
    root = Collection.get_first_root_node()
    for codename in ("add_image", "choose_image"):
        permission = Permission.objects.get(
            content_type__app_label="wagtailimages", codename=codename
        )
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root, permission=permission
        )
