"""Icons, translations and documents of the desktop (installed as desk_resources)."""
