"""Sessions in the database, their 30-minute idle expiry rewritten at most once a minute.

``SESSION_SAVE_EVERY_REQUEST`` moves a session's expiry on with every page, so a session ends after
30 idle minutes (docs/security.md); Django does it by rewriting the row on every page (BEGIN,
UPDATE, COMMIT: 3 of the student page's 17 statements, a row write per read-only page;
bench/load_web.py). This store skips that write while nothing in the session changed and the
stored expiry was set less than :data:`REFRESH_SECONDS` ago: a session still ends after 30 idle
minutes, at most a minute early, never late. The cookie is sent on every response as before.

Still one row per session, read on every request: a logout or a password change in one gunicorn
worker ends the session in every worker at once (a per-process cache — Django's ``cached_db`` with
the default local-memory cache — would keep a logged-out session alive in the other workers).
"""

import datetime as dt

from django.contrib.sessions.backends import db
from django.utils import timezone

# How old the stored expiry may get before a request moves it on.
REFRESH_SECONDS = 60


class SessionStore(db.SessionStore):
    """The database store, remembering the expiry of the row it read."""

    stored_expiry: dt.datetime | None = None

    def load(self):
        row = self._get_session_from_db()
        self.stored_expiry = row.expire_date if row else None
        return self.decode(row.session_data) if row else {}

    def save(self, must_create=False):
        if not must_create and not self.modified and self.expiry_is_fresh():
            return  # unchanged, and its expiry moved on less than REFRESH_SECONDS ago
        super().save(must_create=must_create)
        self.stored_expiry = self.get_expiry_date()

    def expiry_is_fresh(self, now: dt.datetime | None = None) -> bool:
        """Whether the stored row's expiry is within REFRESH_SECONDS of the one a save would write."""
        if self.stored_expiry is None or not self.session_key:
            return False
        now = now or timezone.now()
        written = self.get_expiry_date(modification=now)
        return written - self.stored_expiry < dt.timedelta(seconds=REFRESH_SECONDS)
