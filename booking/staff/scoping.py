"""Every page of one object finds it among the objects its list shows, or answers 404.

A viewset names who sees which of its objects once, in ``objects_visible_to``; its list
filters by it, and so does every view of one object the viewset makes (inspect, edit,
history, usage, delete, copy), including views Wagtail adds later: ``construct_view``
gives each view class the check. An object outside the viewer's reach is a 404, as an id
that does not exist is, so ids cannot be walked to learn who is a patient.
"""

from __future__ import annotations

from django.http import Http404
from wagtail.admin.viewsets.model import ModelViewSet


class ObjectInReachMixin:
    """After the view has found its object, checks it against the viewset's rule."""

    #: ``(user, queryset) -> queryset``: the viewset's ``objects_visible_to``.
    object_scope = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        found = getattr(self, "object", None)
        if found is None or self.object_scope is None:
            return
        same = type(found)._default_manager.filter(pk=found.pk)
        if not self.object_scope(request.user, same).exists():
            raise Http404


class ScopedModelViewSet(ModelViewSet):
    """A ModelViewSet whose objects some staff may not open (see the module's docstring)."""

    def objects_visible_to(self, user, queryset):
        """Override: the part of ``queryset`` that ``user`` may see."""
        return queryset

    def construct_view(self, view_class, **kwargs):
        if not issubclass(view_class, ObjectInReachMixin):
            view_class = _in_reach(view_class)
        return super().construct_view(view_class, object_scope=self.objects_visible_to, **kwargs)


_checked_classes: dict[type, type] = {}


def _in_reach(view_class: type) -> type:
    """``view_class`` with the check in front, made once a class."""
    if view_class not in _checked_classes:
        _checked_classes[view_class] = type(
            view_class.__name__, (ObjectInReachMixin, view_class), {"__module__": __name__}
        )
    return _checked_classes[view_class]
