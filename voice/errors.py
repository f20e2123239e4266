"""The errors the voice layer reports to a user: each names the problem and the fix."""


class VoiceError(Exception):
    """A line, a take or a voice cannot be used; the command line prints it and exits non-zero."""

    exit_code = 2


class MissingTakesError(VoiceError):
    """Recorded takes are missing; ``missing`` lists (beat id, expected path) for every one."""

    def __init__(self, missing: list[tuple[str, str]], takes: str):
        self.missing = missing
        listing = "\n".join(f"  {key}: {path}" for key, path in missing)
        super().__init__(f"{len(missing)} recorded take(s) missing in {takes}:\n{listing}\n"
                         f"Fix: record them as WAV (or FLAC, named .flac) at those paths (./render.sh "
                         f"script --lang LANG writes the script with them), or choose another folder with --takes DIR.")


class BadTakeError(VoiceError):
    """A recorded take exists but cannot be used (not audio, wrong format, empty)."""
