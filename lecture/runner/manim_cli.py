"""``python -m lecture.runner.manim_cli render ...``: Manim's own command line, with frames handed to
the encoder without copies and a held frame converted to yuv once. Every render of a scene or of
its slides runs through it (``lecture.runner.manim_process``), so it is part of each one's code
input: keep its imports to Manim and PyAV.

Manim 0.22's ``VideoSegmentEncoder.write_frame`` wraps every RGBA frame with PyAV's
``VideoFrame.from_ndarray``, which copies the 8 MB frame twice, row by row, holding the GIL
(15.6 ms of a 1080p frame here, more than the conversion to yuv, 6.6 ms). A held frame (``wait``
without updaters, ``repeat=n``) is copied and converted ``n`` times. This ``write_frame``:

- wraps the array with ``VideoFrame.from_numpy_buffer``, no copy (the frame is converted to the
  stream's pixel format before ``encode`` returns, and Manim's frame array is not reused before);
- converts a held frame once, with the same options as the encoder's own conversion
  (``VideoCodecContext._prepare_frames_for_encode``), and encodes that yuv frame ``n`` times.

The packets are byte-identical to Manim's (``tests/test_manim_cli.py`` compares them).

Manim keeps each animation's partial movie under its hash, and a later render takes any file of
that name as done. It writes the file in place, so a render killed mid-segment would leave a
truncated file under a good name. Here each segment is written to ``.<name>.part`` and renamed
to its name only when it is finished (``finish``), so a name always stands for a whole segment.

That cache's key is a hash of everything on screen, attributes included. A ``Table`` keeps
``h_buff`` and ``v_buff`` after it is laid out and scales them when it is scaled, so a table moved
with ``.animate.scale_to_fit_width`` carries other values after a cached animation than after a
rendered one, though its points (what is drawn) are the same: every later animation would miss.
Those two layout parameters are left out of the key (``LAYOUT_KEYS``).

The methods are replaced only in this process; ``import manim`` elsewhere is unchanged.
"""
from __future__ import annotations

import os
import sys
from fractions import Fraction

import av
from manim.scene.video_segment_encoder import VideoSegmentEncoder


def write_frame(self: VideoSegmentEncoder, pixels, *, repeat: int = 1) -> None:
    """Encode ``pixels`` at consecutive segment-local PTS values (as Manim's own)."""
    self._validate_frame(pixels, repeat)
    time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
    try:
        frame = av.VideoFrame.from_numpy_buffer(pixels, format="rgba")
        if repeat > 1:
            context = self._stream.codec_context
            frame = frame.reformat(context.width, context.height, context.format,
                                   threads=context.thread_count)
        for _ in range(repeat):
            frame.pts = self._next_pts
            frame.time_base = time_base
            self._next_pts += 1
            for packet in self._stream.encode(frame):
                self._container.mux(packet)
    except BaseException as error:
        raise self._operation_error("encode", error) from error


_open, _finish = VideoSegmentEncoder.__init__, VideoSegmentEncoder.finish


def open_segment(self: VideoSegmentEncoder, *, target, spec) -> None:
    """Manim's own, writing to ``.<name>.part`` beside ``target`` (its container format is
    given, not guessed from the name)."""
    self.final = target
    _open(self, target=target.with_name(f".{target.name}.part"), spec=spec)


def finish_segment(self: VideoSegmentEncoder) -> None:
    """Manim's own, then the finished segment takes its name."""
    _finish(self)
    if getattr(self, "final", None) is not None and self.target != self.final:
        os.replace(self.target, self.final)


LAYOUT_KEYS = {"h_buff", "v_buff"}


def install() -> None:
    from manim.utils import hashing

    hashing.KEYS_TO_FILTER_OUT |= LAYOUT_KEYS
    VideoSegmentEncoder.write_frame = write_frame
    VideoSegmentEncoder.__init__ = open_segment
    VideoSegmentEncoder.finish = finish_segment


def main() -> None:
    install()
    from manim.__main__ import main as manim_main

    sys.argv[0] = "manim"
    manim_main()


if __name__ == "__main__":
    main()
