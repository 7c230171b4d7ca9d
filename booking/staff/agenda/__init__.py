"""The staff agenda: a day or a week of appointments on a time grid, and a dashboard panel.

``grid`` is the pure arithmetic, ``queries`` reads the database in a fixed number of
queries, ``views`` is the admin page and ``panel`` the admin home page's panel.
"""
