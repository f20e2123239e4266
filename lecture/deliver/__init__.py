"""The delivery room (floor 3): what is handed to the places where courses are published, made
from a quality's rendered cuts by ``./render.sh package`` into ``<quality dir>/package/``.

========================================  =============================================================
deliverable                               where it goes
========================================  =============================================================
``lecture-<lang>.scorm12.zip``            an LMS (Moodle, Canvas, Blackboard, a MOOC): one SCO, the
                                          students' page that reports status, score and resume data
``lecture-<lang>.scorm2004.zip``          the same for an LMS that asks for SCORM 2004 4th Edition
``upload/<lang>/``                        a video site: the video, ``description.txt`` with the
                                          chapters, the captions, ``thumbnail.png``, ``metadata.json``
``transcript.<lang>.html``                the course page: the described transcript (WCAG 1.2.3)
========================================  =============================================================

Each deliverable is one product with declared inputs (lecture.store.products): made again only
when the cut it comes from (its manifest's stamp), the settings (assets/delivery.toml), the
strings it reads or its code changed. Modules:

* ``settings``: ``assets/delivery.toml`` (mastery score, when the lecture counts as watched, the
  thumbnail's scene), checked with named errors;
* ``site``: the students' page of one language, as a package carries it (lecture.page's builder);
* ``scorm``: that page zipped as a SCORM 1.2 or SCORM 2004 package, with its ``imsmanifest.xml``;
* ``video_site``: the upload bundle (chapter rules, description, metadata); ``thumbnail``;
* ``products``: the deliverables as products, in the order they are made.
"""
