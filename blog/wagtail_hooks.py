from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Topic
from .publishing import PUBLISH_REFUSED_ACTION


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = "Topics"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "slug"]
    search_fields = ["name"]


register_snippet(TopicViewSet)


@hooks.register("register_log_actions")
def blog_log_actions(actions_registry):
    actions_registry.register_action(
        PUBLISH_REFUSED_ACTION,
        "Publishing refused",
        "Not published as scheduled: the article lacks an author, a reviewer, a review date "
        "or its references",
    )
