from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = "Articles"

    def ready(self):
        from practice.signals import shown_on_pages

        from .models import Topic

        # The index's topic filter and every article's topics.
        shown_on_pages(Topic)
