"""The waiting list: a freed time goes to one waiting patient at a time, held for them in
the database until they claim it, decline it or the hold runs out (docs/waiting-list.md,
"The waiting list"). ``match`` is the pure arithmetic, ``selectors`` the reads,
``services`` the writes, ``tasks`` the work of the task worker, ``emails`` what it sends."""
