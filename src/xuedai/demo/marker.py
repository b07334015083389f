"""Which database `xuedai demo` serves: `xuedai totp` prints second factors for that one and no other."""

from django.conf import settings


def demo_marker_path():
    return settings.VAR_DIR / "demo-database"


def mark_demo_database() -> None:
    demo_marker_path().write_text(str(settings.DATABASES["default"]["NAME"]))


def is_demo_database() -> bool:
    marker = demo_marker_path()
    return marker.exists() and marker.read_text() == str(settings.DATABASES["default"]["NAME"])
