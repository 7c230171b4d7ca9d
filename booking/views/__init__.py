"""The public booking pages: the steps of booking (``wizard``), the private manage link
(``manage``), and the week of free times both show (``picker``)."""
