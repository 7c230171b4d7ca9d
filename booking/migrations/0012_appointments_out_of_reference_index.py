"""Appointments and waiting-list entries are no longer in Wagtail's reference index
(``wagtail_reference_index_ignore`` on both models): the rows it holds for them go."""

from django.db import migrations


def forget_references(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    kinds = ContentType.objects.filter(
        app_label="booking", model__in=["appointment", "waitlistentry"]
    )
    ReferenceIndex.objects.filter(base_content_type__in=kinds).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0011_waiting_list"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0096_referenceindex_referenceindex_source_object_and_more"),
    ]

    operations = [migrations.RunPython(forget_references, migrations.RunPython.noop)]
