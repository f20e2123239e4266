"""A built page folder zipped as a SCORM package, for either edition an LMS takes:

* ``SCORM12``: ADL SCORM 1.2 (IMS Content Packaging 1.1.2), the mastery score as the item's
  ``adlcp:masteryscore``, the title and language as IMS metadata;
* ``SCORM2004``: ADL SCORM 2004 4th Edition (IMS CP 1.1.4), the mastery score as the item's
  primary objective (``imsss:minNormalizedMeasure``, the score over 100).

Either way ``imsmanifest.xml`` is at the root with one organization, one item and one SCO resource
launched at ``index.html``, which lists every other file of the zip, read from the folder (never a
list kept by hand). The page in it (assets/page/scorm.js) speaks both run-time APIs.

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
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import quote

from lecture.store.files import folder_bytes, written
from sim.errors import SimError

MANIFEST = "imsmanifest.xml"
LAUNCH = "index.html"
IMSCP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSMD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
IMSCP_2004 = "http://www.imsglobal.org/xsd/imscp_v1p1"      # IMS CP 1.1.4, as SCORM 2004 names it
ADLCP_2004 = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLSEQ_2004 = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV_2004 = "http://www.adlnet.org/xsd/adlnav_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"                 # IMS Simple Sequencing
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


@dataclass(frozen=True)
class Edition:
    """What differs between the SCORM editions a package is made for: the rest is one code."""
    name: str             # "scorm12": the product's and the file's (lecture-<lang>.<name>.zip)
    version: str          # the manifest's <schemaversion>
    namespaces: dict      # prefix -> namespace the manifest declares ("": IMS CP's)
    scorm_type: str       # the resource's attribute (in the adlcp namespace) saying it is a SCO
    mastery: Callable     # (item, mastery_score, identifier) -> None: the mastery score on the item


def _tag(edition: Edition, prefix: str) -> Callable[[str], str]:
    return lambda name: f"{{{edition.namespaces[prefix]}}}{name}"


def _masteryscore(item: ET.Element, mastery_score: int, identifier: str) -> None:
    """SCORM 1.2: ``<adlcp:masteryscore>`` (percent)."""
    ET.SubElement(item, f"{{{ADLCP}}}masteryscore").text = str(mastery_score)


def _primary_objective(item: ET.Element, mastery_score: int, identifier: str) -> None:
    """SCORM 2004: the item's primary objective, satisfied by a normalized measure (-1..1) of at
    least the mastery score (IMS Simple Sequencing); the LMS hands it over as cmi.scaled_passing_score."""
    ss = lambda name: f"{{{IMSSS}}}{name}"  # noqa: E731
    objectives = ET.SubElement(ET.SubElement(item, ss("sequencing")), ss("objectives"))
    objective = ET.SubElement(objectives, ss("primaryObjective"),
                              {"objectiveID": f"{identifier}_mastery", "satisfiedByMeasure": "true"})
    ET.SubElement(objective, ss("minNormalizedMeasure")).text = f"{mastery_score / 100:.2f}"


SCORM12 = Edition("scorm12", "1.2", {"": IMSCP, "adlcp": ADLCP, "imsmd": IMSMD}, "scormtype", _masteryscore)
SCORM2004 = Edition("scorm2004", "2004 4th Edition",
                    {"": IMSCP_2004, "adlcp": ADLCP_2004, "adlseq": ADLSEQ_2004, "adlnav": ADLNAV_2004, "imsss": IMSSS},
                    "scormType", _primary_objective)


def manifest_xml(files: list[str], *, title: str, lang: str, mastery_score: int, identifier: str,
                 edition: Edition = SCORM12) -> bytes:
    """The ``imsmanifest.xml`` of an ``edition`` package holding ``files`` (POSIX paths)."""
    for prefix, uri in edition.namespaces.items():
        ET.register_namespace(prefix, uri)
    cp, adl = _tag(edition, ""), _tag(edition, "adlcp")
    root = ET.Element(cp("manifest"), {"identifier": identifier, "version": "1.0"})
    metadata = ET.SubElement(root, cp("metadata"))
    ET.SubElement(metadata, cp("schema")).text = "ADL SCORM"
    ET.SubElement(metadata, cp("schemaversion")).text = edition.version
    if "imsmd" in edition.namespaces:  # SCORM 1.2 carries the title and language as IMS metadata
        md = _tag(edition, "imsmd")
        general = ET.SubElement(ET.SubElement(metadata, md("lom")), md("general"))
        ET.SubElement(ET.SubElement(general, md("title")), md("langstring"), {XML_LANG: lang}).text = title
        ET.SubElement(general, md("language")).text = lang
    organizations = ET.SubElement(root, cp("organizations"), {"default": f"{identifier}_org"})
    organization = ET.SubElement(organizations, cp("organization"), {"identifier": f"{identifier}_org"})
    ET.SubElement(organization, cp("title")).text = title
    item = ET.SubElement(organization, cp("item"), {"identifier": f"{identifier}_item",
                                                    "identifierref": f"{identifier}_sco", "isvisible": "true"})
    ET.SubElement(item, cp("title")).text = title
    edition.mastery(item, mastery_score, identifier)
    resources = ET.SubElement(root, cp("resources"))
    resource = ET.SubElement(resources, cp("resource"), {"identifier": f"{identifier}_sco", "type": "webcontent",
                                                         adl(edition.scorm_type): "sco", "href": LAUNCH})
    for name in files:
        ET.SubElement(resource, cp("file"), {"href": quote(name, safe="/")})
    declare_unused(root, edition.namespaces)
    ET.indent(root)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n").encode("utf-8")


def declare_unused(root: ET.Element, namespaces: dict) -> None:
    """Every namespace of the edition declared on the root, as its schema expects, also one no
    element uses (ElementTree declares only the used ones: the others are written here)."""
    used = {name[1:].partition("}")[0] for element in root.iter() for name in (element.tag, *element.attrib)
            if name.startswith("{")}
    declared = {f"xmlns:{prefix}" if prefix else "xmlns": uri for prefix, uri in namespaces.items() if uri not in used}
    root.attrib = {**declared, **root.attrib}  # beside the used ones, before the manifest's own attributes


def entry(name: str, size: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, DATE)
    info.create_system = 3  # Unix, so the mode below is read
    info.external_attr = 0o100644 << 16
    info.compress_type = zipfile.ZIP_STORED if Path(name).suffix.lower() in STORED else zipfile.ZIP_DEFLATED
    info.file_size = size
    return info


def check_arguments(edition: Edition, target: Path, title: str, lang: str, mastery_score: int, identifier: str) -> None:
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
        raise PackageError(f"write_{edition.name}: " + "; ".join(problems))


def write_package(edition: Edition, site: Path, target: Path, *, title: str, lang: str, mastery_score: int,
                  identifier: str) -> Path:
    """Zip the built page folder ``site`` (lecture.deliver.site.package_site) into ``target``
    (``.zip``) as an ``edition`` package; the same folder gives the same bytes. Returns ``target``."""
    site, target = Path(site), Path(target)
    check_arguments(edition, target, title, lang, mastery_score, identifier)
    files = site_files(site)
    check_page(site, lang, mastery_score)
    manifest = manifest_xml(files, title=title, lang=lang, mastery_score=mastery_score, identifier=identifier,
                            edition=edition)
    with written(target, folder_bytes(site)) as tmp, open(tmp, "wb") as raw, zipfile.ZipFile(raw, "w") as package:
        package.writestr(entry(MANIFEST, len(manifest)), manifest)
        for name in files:
            path = site / name
            with open(path, "rb") as source, package.open(entry(name, path.stat().st_size), "w") as out:
                shutil.copyfileobj(source, out, 1 << 20)
    return target


def write_scorm12(site: Path, target: Path, *, title: str, lang: str, mastery_score: int, identifier: str) -> Path:
    """``site`` as a SCORM 1.2 package at ``target`` (write_package)."""
    return write_package(SCORM12, site, target, title=title, lang=lang, mastery_score=mastery_score,
                         identifier=identifier)


def write_scorm2004(site: Path, target: Path, *, title: str, lang: str, mastery_score: int, identifier: str) -> Path:
    """``site`` as a SCORM 2004 4th Edition package at ``target`` (write_package)."""
    return write_package(SCORM2004, site, target, title=title, lang=lang, mastery_score=mastery_score,
                         identifier=identifier)


EDITIONS = {edition.name: edition for edition in (SCORM12, SCORM2004)}
