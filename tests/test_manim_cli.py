"""lecture.runner.manim_cli's write_frame against Manim's own (the reference): the same frames, moving and
held, give byte-identical packets, and a frame's array can be changed once it is written."""
from __future__ import annotations

from fractions import Fraction

import av
import numpy as np
import pytest

from manim._config.video_encoder import VideoEncoderSpec
from manim.scene.video_segment_encoder import VideoSegmentEncoder

from lecture.runner import manim_cli


def frames(count: int, height: int = 144, width: int = 256) -> list[np.ndarray]:
    """Frames that differ in colour, a moving square and the alpha channel."""
    rng = np.random.default_rng(7)
    out = []
    for n in range(count):
        image = np.empty((height, width, 4), np.uint8)
        image[..., :3] = rng.integers(0, 256, 3, dtype=np.uint8)
        image[..., 3] = 255
        image[20:60, 10 + 7 * n:50 + 7 * n, :3] = (250, 40 * n % 256, 10)
        out.append(image)
    return out


def encode(tmp_path, name: str, write, schedule) -> list[bytes]:
    spec = VideoEncoderSpec("mp4", "libx264", "yuv420p", 256, 144, Fraction(60), (("preset", "veryfast"),))
    encoder = VideoSegmentEncoder(target=tmp_path / f"{name}.mp4", spec=spec)
    for image, repeat in schedule:
        write(encoder, image.copy(), repeat=repeat)
    encoder.finish()
    with av.open(str(tmp_path / f"{name}.mp4")) as container:
        return [(p.pts, bytes(p)) for p in container.demux(video=0) if p.size]


@pytest.mark.parametrize("repeats", [(1, 1, 1, 1), (1, 5, 1, 12, 2)])
def test_packets_identical_to_manims_own(tmp_path, repeats):
    schedule = list(zip(frames(len(repeats)), repeats))
    reference = encode(tmp_path, "manim", VideoSegmentEncoder.write_frame, schedule)
    fast = encode(tmp_path, "fast", manim_cli.write_frame, schedule)
    assert len(fast) == sum(repeats)
    assert fast == reference


def test_frames_decode_to_what_was_written(tmp_path):
    """A second check that does not rely on Manim: each written frame, held or not, decodes to its
    picture (yuv420p rounding aside) at its own times."""
    images = frames(3)
    encode(tmp_path, "fast", manim_cli.write_frame, zip(images, (2, 1, 3)))
    with av.open(str(tmp_path / "fast.mp4")) as container:
        decoded = [f.to_ndarray(format="rgb24").astype(int) for f in container.decode(video=0)]
    expected = [images[0]] * 2 + [images[1]] + [images[2]] * 3
    assert len(decoded) == 6
    for got, want in zip(decoded, expected):
        assert np.abs(got - want[..., :3]).mean() < 3


def test_invalid_frame_is_refused(tmp_path):
    spec = VideoEncoderSpec("mp4", "libx264", "yuv420p", 256, 144, Fraction(60), ())
    encoder = VideoSegmentEncoder(target=tmp_path / "bad.mp4", spec=spec)
    with pytest.raises(ValueError, match="shape"):
        manim_cli.write_frame(encoder, np.zeros((10, 10, 4), np.uint8))
    with pytest.raises(ValueError, match="repeat"):
        manim_cli.write_frame(encoder, frames(1)[0], repeat=0)
    encoder.abort()


def test_a_segment_takes_its_name_only_when_finished(tmp_path):
    """A render killed mid-segment leaves no file under the segment's name (Manim's cache takes
    any file of that name as a finished animation)."""
    spec = VideoEncoderSpec("mp4", "libx264", "yuv420p", 256, 144, Fraction(60), (("preset", "veryfast"),))
    target = tmp_path / "0123abcd.mp4"
    encoder = VideoSegmentEncoder.__new__(VideoSegmentEncoder)
    manim_cli.open_segment(encoder, target=target, spec=spec)
    for image in frames(3):
        manim_cli.write_frame(encoder, image)
    assert not target.exists()  # killed here: no file under the good name
    manim_cli.finish_segment(encoder)
    assert target.exists() and not (tmp_path / ".0123abcd.mp4.part").exists()
    with av.open(str(target)) as container:
        assert sum(1 for _ in container.decode(video=0)) == 3
    aborted = VideoSegmentEncoder.__new__(VideoSegmentEncoder)
    manim_cli.open_segment(aborted, target=tmp_path / "ffff.mp4", spec=spec)
    aborted.abort()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0123abcd.mp4"]
