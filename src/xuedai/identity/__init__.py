"""Personal identity at the floor of the import order: resident ID numbers (GB 11643) and the masking
of personal data in lists and logs. Plain Python, no models, so every app may use it (orgs for the
student login, audit for its masked columns, borrowers for its records)."""
