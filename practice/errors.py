"""Error reports that carry no patient data.

Django's error report (the email to ``ADMINS``, or any handler a deployer adds that
uses Django's reporter) shows the POST data, the cookies and every local variable of
every frame. In this project those can be a patient's details or health answers: the
booking steps post them, the views hold them in variables, and the session cookie
opens them. This filter hides all of it, everywhere; the traceback's file names, line
numbers and the request path stay, which is what fixing a bug needs; the secret of a
manage, waiting-list or calendar link in that path (and in the headers) shows as "…".
"""

from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

from .log_masking import MASK, SECRET_PARAMETERS, masked


class TokenMaskingExceptionReporter(ExceptionReporter):
    """Django's report with every link's secret masked (``practice/log_masking.py``), in
    the address, the headers and the query's ``move`` (the old "want something sooner?"
    link)."""

    def get_traceback_data(self):
        data = super().get_traceback_data()
        if "request_GET_items" in data:
            data["request_GET_items"] = [
                (key, MASK if key in SECRET_PARAMETERS else value)
                for key, value in data["request_GET_items"]
            ]
        return data

    def get_traceback_text(self):
        return masked(super().get_traceback_text())

    def get_traceback_html(self):
        return masked(super().get_traceback_html())


class PatientDataSafeExceptionReporterFilter(SafeExceptionReporterFilter):
    def is_active(self, request):
        # Django switches filtering off under DEBUG; a debugging developer's report can
        # still be pasted somewhere, so stay on.
        return True

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return dict.fromkeys(request.POST, self.cleansed_substitute)

    def get_safe_cookies(self, request):
        if request is None:
            return {}
        return dict.fromkeys(request.COOKIES, self.cleansed_substitute)

    def get_traceback_frame_variables(self, request, tb_frame):
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]
