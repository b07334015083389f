"""Sessions in the database, their 30-minute idle expiry moved forward at most once a minute.

Django's ``SESSION_SAVE_EVERY_REQUEST`` rewrites the session row on every page (BEGIN, UPDATE,
COMMIT: 3 of a student page's 17 statements, and a row write per read-only page; bench/load_web.py).
Here the row is rewritten only when the page changed the session or when its stored expiry is more
than :data:`REFRESH_SECONDS` old, so a session still ends after 30 idle minutes — at most a minute
early, never late.

Still one row per session in the database, read on every request: a logout or a password change in
one gunicorn worker ends the session in every worker at once (a per-process cache — Django's
``cached_db`` with the default local-memory cache — would keep a logged-out session alive in the
other workers until its cache entry expired).
"""

import datetime as dt

from django.conf import settings
from django.contrib.sessions.backends import db
from django.utils import timezone

# How stale the stored expiry may get before a request moves it on.
REFRESH_SECONDS = 60


class SessionStore(db.SessionStore):
    """The database store, remembering the expiry of the row it read."""

    stored_expiry: dt.datetime | None = None

    def load(self):
        row = self._get_session_from_db()
        self.stored_expiry = row.expire_date if row else None
        return self.decode(row.session_data) if row else {}


def needs_refresh(session, now: dt.datetime | None = None) -> bool:
    """Whether the idle expiry must be moved forward on this request: a stored session whose
    expiry was last set more than REFRESH_SECONDS ago (or one this store did not read)."""
    if not session.session_key:
        return False
    session._get_session()  # loads the row (a no-op when the page already read the session)
    expiry = getattr(session, "stored_expiry", None)
    if expiry is None:
        return not session.is_empty()
    now = now or timezone.now()
    return expiry - now < dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - REFRESH_SECONDS)


class SessionRefreshMiddleware:
    """Right after SessionMiddleware: marks the session modified when its expiry is due a refresh,
    so SessionMiddleware saves it (a new expiry, the cookie sent again) as it saves any change."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.modified and needs_refresh(session):
            session.modified = True
        return response
