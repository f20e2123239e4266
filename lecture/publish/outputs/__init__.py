"""The publishing outputs, one module each (see lecture/publish/__init__.py)."""
