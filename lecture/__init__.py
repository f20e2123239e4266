"""Floor 3: orchestrates and publishes, in rooms by purpose.

* ``store``: where everything made lives, how it is written, what it was made from (stamps and
  derived inputs), locks;
* ``runner``: running jobs: the engines (local, Ray), the one Manim process, progress, the
  recording, the narration pre-pass, the plan of what is stale;
* ``publish``: the outputs of a cut, a registry with declared inputs (lecture, subtitles,
  described transcript, posters, handout, burn-in, manifest);
* ``page``: the students' page (and the browser check of the lecture);
* ``slides``: the scenes as slides for teachers, and their decks;
* ``commands``: the entry points of ./render.sh, thin: they call the rooms.

Nothing here is imported by floors 1 and 2, and no command module is imported by another module.
"""
