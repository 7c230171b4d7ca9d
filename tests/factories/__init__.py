"""The tests' factories: the helpers that build data for the tests, one module per subject.

- ``staff``: staff logins, in the roles of ``booking.groups`` (``staff_member``).
- ``practice``: the tests' own practice, that is its services, its practitioners and their
  weekly hours (``practice_create``, behind the ``practice`` fixture), and ``practitioner``
  to look one up.
- ``bookings``: patients' details and intake answers, bookings made through the booking
  service (``book``), patients seen before (``returning``, ``seen``, ``seen_before``), manage
  links' tokens (``manage_token``) and queued notices run as a worker would
  (``notices_queued``).
- ``articles``: an article as the editor posts it (``article_form_data``) or published
  (``make_article``), and a page saved live without a revision (``live_page``).
- ``site``: the tests' own Wagtail site (``site_create``, behind the ``site`` fixture), that
  is its home and standard pages, topics, articles, images and practice details.

Import a helper from the module that holds it (``from tests.factories.bookings import
book``): this package re-exports nothing, so that each name has one home.
"""
