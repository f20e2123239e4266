"""A built page folder zipped as a SCORM 1.2 package (ADL SCORM 1.2, IMS Content Packaging
1.1.2): ``imsmanifest.xml`` at the root with one organization, one item (its mastery score) and
one SCO resource launched at ``index.html``, which lists every other file of the zip, read from
the folder (never a list kept by hand).

The zip is the same bytes for the same folder: its entries in path order, every one dated
1980-01-01 with mode 0644, videos and pictures stored (already compressed), the rest deflated at
zlib's default level. It is written under a temporary name beside ``target`` and renamed into place.
"""
from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from urllib.parse import quote

from lecture.store.files import folder_bytes, written
from sim.errors import SimError

MANIFEST = "imsmanifest.xml"
LAUNCH = "index.html"
IMSCP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSMD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")  # an identifier is an xs:ID
DATE = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: no build time in the bytes
STORED = {".mp4", ".webm", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".zip", ".gz", ".woff2"}


class PackageError(SimError):
    """A package cannot be made from what it was given; the message names it and the fix."""


def site_files(site: Path) -> list[str]:
    """Every file under ``site``, as POSIX paths relative to it, in order."""
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    if MANIFEST in files:
        raise PackageError(f"{site / MANIFEST} exists: a page folder has no manifest of its own. "
                           "Fix: build the page again (lecture.deliver.site.package_site)")
    if LAUNCH not in files:
        raise PackageError(f"{site / LAUNCH} is missing: the package has nothing to launch. "
                           "Fix: build the page first (lecture.deliver.site.package_site)")
    return files


def page_data(site: Path) -> dict:
    """``data/page.js`` of a built page (``window.LECTURE_PAGE = {...};``)."""
    path = site / "data" / "page.js"
    try:
        text = path.read_text(encoding="utf-8")
        return json.loads(text[text.index("{"):].rstrip().rstrip(";"))
    except (OSError, ValueError) as error:
        raise PackageError(f"{path} cannot be read as the page's data ({error}). "
                           "Fix: build the page again (lecture.deliver.site.package_site)") from None


def check_page(site: Path, lang: str, mastery_score: int) -> None:
    """The page is ``lang``'s first and reports with the manifest's mastery score."""
    path, page = site / "data" / "page.js", page_data(site)
    lms = page.get("lms")
    if not isinstance(lms, dict):
        raise PackageError(f"{path}: lms: is missing, so the page would not report to an LMS. "
                           "Fix: build it with lecture.deliver.site.package_site (it passes assets/delivery.toml)")
    if lms.get("mastery_score") != mastery_score:
        raise PackageError(f"{path}: lms.mastery_score: is {lms.get('mastery_score')!r}, the manifest's would be "
                           f"{mastery_score}. Fix: pass the same settings (lecture.deliver.settings.delivery()) to both")
    if page.get("langs", [None])[0] != lang or lang not in page.get("cuts", {}):
        raise PackageError(f"{path}: langs: the page shows {page.get('langs')} with the cuts {sorted(page.get('cuts', {}))}, "
                           f"not the {lang} cut first. Fix: build it with package_site(..., lang={lang!r}, ...)")


def manifest_xml(files: list[str], *, title: str, lang: str, mastery_score: int, identifier: str) -> bytes:
    """The SCORM 1.2 ``imsmanifest.xml`` of a package holding ``files`` (POSIX paths)."""
    ET.register_namespace("", IMSCP)
    ET.register_namespace("adlcp", ADLCP)
    ET.register_namespace("imsmd", IMSMD)
    cp, adl, md = (lambda tag: f"{{{IMSCP}}}{tag}"), (lambda tag: f"{{{ADLCP}}}{tag}"), (lambda tag: f"{{{IMSMD}}}{tag}")
    root = ET.Element(cp("manifest"), {"identifier": identifier, "version": "1.0"})
    metadata = ET.SubElement(root, cp("metadata"))
    ET.SubElement(metadata, cp("schema")).text = "ADL SCORM"
    ET.SubElement(metadata, cp("schemaversion")).text = "1.2"
    general = ET.SubElement(ET.SubElement(metadata, md("lom")), md("general"))
    ET.SubElement(ET.SubElement(general, md("title")), md("langstring"), {XML_LANG: lang}).text = title
    ET.SubElement(general, md("language")).text = lang
    organizations = ET.SubElement(root, cp("organizations"), {"default": f"{identifier}_org"})
    organization = ET.SubElement(organizations, cp("organization"), {"identifier": f"{identifier}_org"})
    ET.SubElement(organization, cp("title")).text = title
    item = ET.SubElement(organization, cp("item"), {"identifier": f"{identifier}_item",
                                                    "identifierref": f"{identifier}_sco", "isvisible": "true"})
    ET.SubElement(item, cp("title")).text = title
    ET.SubElement(item, adl("masteryscore")).text = str(mastery_score)
    resources = ET.SubElement(root, cp("resources"))
    resource = ET.SubElement(resources, cp("resource"), {"identifier": f"{identifier}_sco", "type": "webcontent",
                                                         adl("scormtype"): "sco", "href": LAUNCH})
    for name in files:
        ET.SubElement(resource, cp("file"), {"href": quote(name, safe="/")})
    ET.indent(root)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n").encode("utf-8")


def entry(name: str, size: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, DATE)
    info.create_system = 3  # Unix, so the mode below is read
    info.external_attr = 0o100644 << 16
    info.compress_type = zipfile.ZIP_STORED if Path(name).suffix.lower() in STORED else zipfile.ZIP_DEFLATED
    info.file_size = size
    return info


def check_arguments(target: Path, title: str, lang: str, mastery_score: int, identifier: str) -> None:
    problems = []
    if target.suffix != ".zip":
        problems.append(f"target {target} does not end in .zip. Fix: name the package NAME.zip")
    if not isinstance(title, str) or not title.strip():
        problems.append(f"title {title!r} is empty. Fix: pass the lecture's title (lesson_text string 'lecture.title')")
    if not isinstance(lang, str) or not lang:
        problems.append(f"lang {lang!r} is not a language code. Fix: pass the cut's language, e.g. 'zh'")
    if isinstance(mastery_score, bool) or not isinstance(mastery_score, int) or not 0 <= mastery_score <= 100:
        problems.append(f"mastery_score {mastery_score!r} is not a whole number from 0 to 100. "
                        "Fix: pass lecture.deliver.settings.delivery().mastery_score")
    if not isinstance(identifier, str) or not NCNAME.match(identifier):
        problems.append(f"identifier {identifier!r} is not an XML name (a letter or _, then letters, digits, _ . -). "
                        "Fix: pass e.g. 'paddle_basics_zh'")
    if problems:
        raise PackageError("write_scorm12: " + "; ".join(problems))


def write_scorm12(site: Path, target: Path, *, title: str, lang: str, mastery_score: int, identifier: str) -> Path:
    """Zip the built page folder ``site`` (lecture.deliver.site.package_site) into ``target``
    (``.zip``) as a SCORM 1.2 package; the same folder gives the same bytes. Returns ``target``."""
    site, target = Path(site), Path(target)
    check_arguments(target, title, lang, mastery_score, identifier)
    files = site_files(site)
    check_page(site, lang, mastery_score)
    manifest = manifest_xml(files, title=title, lang=lang, mastery_score=mastery_score, identifier=identifier)
    with written(target, folder_bytes(site)) as tmp, open(tmp, "wb") as raw, zipfile.ZipFile(raw, "w") as package:
        package.writestr(entry(MANIFEST, len(manifest)), manifest)
        for name in files:
            path = site / name
            with open(path, "rb") as source, package.open(entry(name, path.stat().st_size), "w") as out:
                shutil.copyfileobj(source, out, 1 << 20)
    return target
