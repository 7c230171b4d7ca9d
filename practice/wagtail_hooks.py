from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import PractitionerProfile


class PractitionerProfileViewSet(SnippetViewSet):
    model = PractitionerProfile
    icon = "user"
    menu_label = "Practitioners"
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "credentials", "job_title"]
    search_fields = ["name"]


register_snippet(PractitionerProfileViewSet)
