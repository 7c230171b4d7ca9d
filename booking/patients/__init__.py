"""The patient's own side: proving an email address (a code, or a sign-in link), the patient's
session, and what "My appointments" shows them."""
