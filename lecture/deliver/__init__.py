"""The delivery room: what is handed to an LMS or a video site.

* ``settings``: ``assets/delivery.toml`` (the mastery score and when the lecture counts as watched);
* ``site``: the students' page of one language, as a package carries it (lecture.page's builder);
* ``scorm``: that page zipped as a SCORM 1.2 package, with its ``imsmanifest.xml``.
"""
