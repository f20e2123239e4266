"""The delivery room (floor 3): what is handed to the places where courses are published, made
from a quality's rendered cuts by ``./render.sh package`` into ``<quality dir>/package/``.

========================================  =============================================================
deliverable                               where it goes
========================================  =============================================================
``lecture-<lang>.scorm12.zip``            an LMS (Moodle, Canvas, Blackboard, a MOOC): one SCO, the
                                          students' page that reports status, score and resume data
``upload/<lang>/``                        a video site: the video, ``description.txt`` with the
                                          chapters, the captions, ``thumbnail.png``, ``metadata.json``
``transcript.<lang>.html``                the course page: the described transcript (WCAG 1.2.3)
========================================  =============================================================

Each deliverable is one product with declared inputs (lecture.store.products): made again only
when the cut it comes from (its manifest's stamp), the settings (assets/delivery.toml), the
strings it reads or its code changed. Modules: ``products`` (the list), ``scorm`` (the SCORM
package), ``video_site`` (chapter rules, description, metadata), ``thumbnail``, ``settings``.
"""
