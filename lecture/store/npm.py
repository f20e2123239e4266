"""Pinned packages from the npm registry, fetched once with ``npm pack``, their integrity
(sha512, as the registry publishes it) checked before a byte is used, and kept unpacked in
``out/.cache/npm/<name>-<version>/``. The one fetcher of JavaScript in the house: the slides'
reveal.js, and the tests' SCORM runtime (scorm-again) and accessibility checker (axe-core).

A package is unpacked into a temporary folder beside its place and renamed into place, so a
half-fetched package is never seen."""
from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from lecture.store import layout


class NpmError(ValueError):
    exit_code = 2


@dataclass(frozen=True)
class NpmPackage:
    name: str
    version: str
    integrity: str   # "sha512-<base64>", as `npm view NAME@VERSION dist.integrity` prints it

    @property
    def spec(self) -> str:
        return f"{self.name}@{self.version}"


REVEAL = NpmPackage("reveal.js", "6.0.1",
                    "sha512-9eacArNIgqO2HGWOK+93gJNn+gvdGDVbSq+i2u3Ja9kjiHps0XNLpgYTZTYjKRH91uXy3clGimeGiw4umHG/tg==")
SCORM_AGAIN = NpmPackage("scorm-again", "3.4.3",
                         "sha512-Zbe+7ArMUbT1lVnqYxsbGRfI9JD9JVqEPzZLQdk0nfNmcDYJ404rMO9nbkQ0Hzwux5uACF9zKsvc29Q/ZzMOdg==")
AXE_CORE = NpmPackage("axe-core", "4.14.1",
                      "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==")


def integrity_of(tarball: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()


def unpacked(package: NpmPackage, root: Path | None = None) -> Path:
    """The package's folder (its ``package.json`` at the top), fetched when not yet kept."""
    root = root or layout.CACHE / "npm"
    folder = root / f"{package.name.replace('/', '+')}-{package.version}"
    if (folder / "package.json").is_file():
        return folder
    npm = shutil.which("npm")
    if not npm:
        raise NpmError(f"{package.spec} comes from the npm registry, and there is no npm: install it "
                       "(Debian: apt-get install npm; ./render.sh does so as root where it needs it)")
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root, prefix=".fetch-") as tmp:
        done = subprocess.run([npm, "pack", package.spec, "--pack-destination", tmp, "--silent"],
                              capture_output=True, text=True, timeout=300)
        tarballs = list(Path(tmp).glob("*.tgz"))
        if done.returncode != 0 or len(tarballs) != 1:
            raise NpmError(f"npm pack {package.spec} failed: {(done.stderr or done.stdout).strip()[-400:]}")
        digest = integrity_of(tarballs[0])
        if digest != package.integrity:
            raise NpmError(f"{package.spec} from npm has integrity {digest}, not the pinned "
                           f"{package.integrity}: not used")
        staging = Path(tmp) / "unpacked"
        with tarfile.open(tarballs[0]) as tar:
            tar.extractall(staging, filter="data")
        top = staging / "package"
        if folder.exists():  # another run put it there meanwhile
            return folder
        os.replace(top, folder)
    return folder
