"""The student page: the lecture with chapters, transcript and both languages, the recorded runs
to explore, and questions to check oneself, as one offline folder (``<quality dir>/site/``).

``build_site`` (lecture.page.build) writes it; ``python -m lecture page`` runs it.
"""
from lecture.page.build import build_site

__all__ = ["build_site"]
