"""Tests for lotse_lms.scorm.manifest: real third-party manifests and small built ones."""

from __future__ import annotations

import os
import threading
import zipfile

import pytest
from lxml import etree

from lotse_lms.scorm import manifest as manifest_module
from lotse_lms.scorm.manifest import ManifestError, join_parameters, parse_manifest
from tests.shared_dir import SCORM_FIXTURES

FIXTURES = SCORM_FIXTURES
NS12 = (
    'xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" '
    'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"'
)
NS2004 = (
    'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" '
    'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" '
    'xmlns:imsss="http://www.imsglobal.org/xsd/imsss"'
)


def fixture_manifest(kind: str, name: str) -> bytes:
    """Read imsmanifest.xml out of a fixture package."""
    with zipfile.ZipFile(FIXTURES / kind / f"{name}.zip") as zf:
        return zf.read("imsmanifest.xml")


def build(orgs: str, resources: str, ns: str = NS12, version: str = "1.2", base: str = "") -> bytes:
    """Build a manifest from organization and resource XML snippets."""
    meta = f"<metadata><schemaversion>{version}</schemaversion></metadata>" if version else ""
    return (
        f'<?xml version="1.0"?><manifest identifier="m" {ns} {base}>{meta}'
        f"{orgs}<resources>{resources}</resources></manifest>"
    ).encode()


SCO = '<resource identifier="r" type="webcontent" adlcp:scormtype="sco" href="index.html"/>'
ONE_ORG = '<organizations default="o"><organization identifier="o"><title>Kurs</title>{}</organization></organizations>'


@pytest.mark.parametrize(
    ("name", "standard", "edition", "schema_version", "title", "toc", "launchable", "scos"),
    [
        (
            "RuntimeBasicCalls_SCORM12",
            "1.2",
            "1.2",
            "1.2",
            "Golf Explained - Run-time Basic Calls",
            1,
            1,
            1,
        ),
        (
            "ContentPackagingSingleSCO_SCORM12",
            "1.2",
            "1.2",
            "1.2",
            "Golf Explained - CP Single SCO",
            1,
            1,
            1,
        ),
        (
            "ContentPackagingSingleSCO_SCORM20042ndEdition",
            "2004",
            "2004 2nd Edition",
            "CAM 1.3",
            "Golf Explained - CP Single SCO",
            1,
            1,
            1,
        ),
        (
            "RuntimeBasicCalls_SCORM20043rdEdition",
            "2004",
            "2004 3rd Edition",
            "2004 3rd Edition",
            "Golf Explained - Run-time Basic Calls",
            1,
            1,
            1,
        ),
        (
            "ContentPackagingOneFilePerSCO_SCORM20043rdEdition",
            "2004",
            "2004 3rd Edition",
            "2004 3rd Edition",
            "Golf Explained - CP One File Per SCO",
            22,
            18,
            0,
        ),
        (
            "SequencingForcedSequential_SCORM20043rdEdition",
            "2004",
            "2004 3rd Edition",
            "2004 3rd Edition",
            "Golf Explained - Sequencing Forced Order",
            5,
            5,
            5,
        ),
    ],
)
def test_valid_fixtures(name, standard, edition, schema_version, title, toc, launchable, scos):
    m = parse_manifest(fixture_manifest("valid", name))
    assert (m.standard, m.edition, m.schema_version, m.title) == (
        standard,
        edition,
        schema_version,
        title,
    )
    assert m.default_organization == "golf_sample_default_org"
    assert [o.identifier for o in m.organizations] == ["golf_sample_default_org"]
    assert (len(m.toc()), len(m.launchable()), len(m.scos())) == (toc, launchable, scos)
    assert m.warnings == []


def test_single_sco_12_resource():
    m = parse_manifest(fixture_manifest("valid", "ContentPackagingSingleSCO_SCORM12"))
    res = m.resources["resource_1"]
    assert (res.scorm_type, res.href, res.type, len(res.files)) == (
        "sco",
        "shared/launchpage.html",
        "webcontent",
        39,
    )
    assert "Playing/Playing.html" in res.files
    [entry] = m.scos()
    assert (entry.item.identifier, entry.item.title, entry.depth) == ("item_1", "Golf Explained", 0)
    assert entry.launch_url == "shared/launchpage.html"


def test_one_file_per_sco_tree_and_parameters():
    m = parse_manifest(
        fixture_manifest("valid", "ContentPackagingOneFilePerSCO_SCORM20043rdEdition")
    )
    toc = [(e.depth, e.item.identifier, e.launch_url) for e in m.toc()]
    assert toc[:2] == [
        (0, "playing_item", None),
        (1, "playing_playing_item", "Playing/Playing.html"),
    ]
    assert toc[6] == (1, "playing_quiz_item", "shared/assessmenttemplate.html?questions=Playing")
    assert toc[7] == (0, "etiquette_item", None)
    assert toc[-1] == (
        1,
        "havingfun_quiz_item",
        "shared/assessmenttemplate.html?questions=HavingFun",
    )
    assert [e.item.title for e in m.toc() if e.depth == 0] == [
        "Playing the Game",
        "Etiquette",
        "Handicapping",
        "Having Fun",
    ]
    assert m.resources["playing_par_resource"].scorm_type == "asset"
    assert m.resources["playing_par_resource"].dependencies == ["common_files"]
    assert m.resources["common_files"].href is None


def test_sequencing_fixture_keeps_query_in_href():
    m = parse_manifest(fixture_manifest("valid", "SequencingForcedSequential_SCORM20043rdEdition"))
    assert [e.launch_url for e in m.scos()] == [
        f"shared/launchpage.html?content={c}"
        for c in ("playing", "etiquette", "handicapping", "havingfun", "assessment")
    ]
    assert [e.item.scaled_passing_score for e in m.scos()] == [None] * 5


@pytest.mark.parametrize(
    ("name", "code", "message"),
    [
        (
            "MalformedXml_SCORM12",
            "malformed_xml",
            "Die Datei imsmanifest.xml ist kein gültiges XML (Zeile 27: ",
        ),
        (
            "ItemWithNonExistentResourceId_SCORM12",
            "missing_resource",
            "Der Eintrag »Item 1« verweist auf die Ressource »non_existent_resource«, die im Manifest fehlt.",
        ),
        (
            "MissingLaunchUrl_SCORM12",
            "missing_launch_url",
            "Die SCO-Ressource »resource_1« hat keine Startdatei (href).",
        ),
        (
            "InvalidMissingOrgIdentifier_SCORM20043rdEdition",
            "organization_without_identifier",
            "Eine Organisation im Manifest hat keine Kennung (identifier).",
        ),
    ],
)
def test_invalid_fixtures(name, code, message):
    with pytest.raises(ManifestError) as err:
        parse_manifest(fixture_manifest("invalid", name))
    assert err.value.code == code
    assert err.value.message_de.startswith(message)


@pytest.mark.parametrize(
    ("href", "params", "expected"),
    [
        ("a.html", None, "a.html"),
        ("a.html", "?x=1", "a.html?x=1"),
        ("a.html", "x=1", "a.html?x=1"),
        ("a.html", "&x=1", "a.html?x=1"),
        ("a.html", "?&x=1", "a.html?x=1"),
        ("a.html?y=2", "?x=1", "a.html?y=2&x=1"),
        ("a.html?y=2", "&x=1", "a.html?y=2&x=1"),
        ("a.html", "#p2", "a.html#p2"),
        ("a.html#p1", "#p2", "a.html#p1"),
        ("a.html#p1", "x=1", "a.html?x=1#p1"),
        ("a.html", "?", "a.html"),
    ],
)
def test_join_parameters(href, params, expected):
    assert join_parameters(href, params) == expected


def test_xml_base_on_manifest_resources_and_resource():
    resources = (
        '<resource identifier="r" type="webcontent" adlcp:scormtype="sco" xml:base="sco1/" href="index.html?a=1">'
        '<file href="index.html"/><file href="../shared/x.js"/></resource>'
        '<resource identifier="r2" type="webcontent" adlcp:scormtype="sco" xml:base="sco2" href="start.html"/>'
        '<resource identifier="r3" type="webcontent" adlcp:scormtype="asset" xml:base="https://cdn.example.org/k/" href="v.html"/>'
    )
    data = build(
        ONE_ORG.format(
            '<item identifier="i" identifierref="r" parameters="b=2"><title>A</title></item>'
            '<item identifier="i3" identifierref="r3"><title>C</title></item>'
        ),
        resources,
        base='xml:base="course/"',
    )
    data = data.replace(b"<resources>", b'<resources xml:base="content/">')
    m = parse_manifest(data)
    r = m.resources["r"]
    assert r.href == "course/content/sco1/index.html?a=1"
    assert r.files == ["course/content/sco1/index.html", "course/content/shared/x.js"]
    assert m.resources["r2"].href == "course/content/start.html"  # "sco2" has no slash: RFC 3986
    assert (
        m.resources["r3"].is_external
        and m.resources["r3"].href == "https://cdn.example.org/k/v.html"
    )
    assert [e.launch_url for e in m.launchable()] == [
        "course/content/sco1/index.html?a=1&b=2",
        "https://cdn.example.org/k/v.html",
    ]


def test_nested_items_flattened_in_document_order():
    tree = (
        '<item identifier="a"><title>A</title>'
        '  <item identifier="a1" identifierref="r"><title>A1</title></item>'
        '  <item identifier="a2"><title>A2</title>'
        '    <item identifier="a2x" identifierref="r" parameters="#x"><title>A2x</title></item>'
        "  </item>"
        '  <item identifier="a3" identifierref="r" isvisible="false"><title>A3</title></item>'
        "</item>"
        '<item identifier="b" identifierref="r"><title>B</title></item>'
    )
    m = parse_manifest(build(ONE_ORG.format(tree), SCO))
    assert [(e.depth, e.item.identifier) for e in m.toc()] == [
        (0, "a"),
        (1, "a1"),
        (1, "a2"),
        (2, "a2x"),
        (1, "a3"),
        (0, "b"),
    ]
    assert [e.item.identifier for e in m.scos()] == ["a1", "a2x", "a3", "b"]
    assert m.scos()[1].launch_url == "index.html#x"
    assert m.scos()[2].item.is_visible is False


def test_scorm12_item_settings():
    item = (
        '<item identifier="i" identifierref="r"><title> Prüfung\n Teil 1 </title>'
        "<adlcp:masteryscore>80</adlcp:masteryscore>"
        "<adlcp:maxtimeallowed>00:30:00</adlcp:maxtimeallowed>"
        "<adlcp:timelimitaction>Exit, Message</adlcp:timelimitaction>"
        "<adlcp:datafromlms>mode=a; level=2</adlcp:datafromlms>"
        '<adlcp:prerequisites type="aicc_script">x</adlcp:prerequisites></item>'
    )
    m = parse_manifest(build(ONE_ORG.format(item), SCO))
    i = m.scos()[0].item
    assert i.title == "Prüfung Teil 1"
    assert (i.mastery_score, i.max_time_allowed, i.time_limit_action) == (
        80.0,
        "00:30:00",
        "exit,message",
    )
    assert (i.data_from_lms, i.prerequisites) == ("mode=a; level=2", "x")
    assert i.launch_settings() == {
        "launch_data": "mode=a; level=2",
        "mastery_score": 80.0,
        "max_time_allowed": "00:30:00",
        "time_limit_action": "exit,message",
    }


def test_scorm2004_item_settings_with_sequencing_collection():
    res = '<resource identifier="r" type="webcontent" adlcp:scormType="sco" href="index.html"/>'
    items = (
        '<item identifier="i1" identifierref="r"><title>Eins</title>'
        "<adlcp:completionThreshold>0.8</adlcp:completionThreshold>"
        "<adlcp:dataFromLMS>abc</adlcp:dataFromLMS>"
        "<adlcp:timeLimitAction>continue,no message</adlcp:timeLimitAction>"
        '<imsss:sequencing><imsss:limitConditions attemptAbsoluteDurationLimit="PT1H"/>'
        '<imsss:objectives><imsss:primaryObjective objectiveID="p" satisfiedByMeasure="true">'
        "<imsss:minNormalizedMeasure>0.6</imsss:minNormalizedMeasure></imsss:primaryObjective>"
        "</imsss:objectives></imsss:sequencing></item>"
        '<item identifier="i2" identifierref="r"><title>Zwei</title>'
        '<adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.75"/>'
        '<imsss:sequencing IDRef="shared"/></item>'
        '<item identifier="i3" identifierref="r"><title>Drei</title></item>'
    )
    collection = (
        '<imsss:sequencingCollection><imsss:sequencing ID="shared"><imsss:objectives>'
        '<imsss:primaryObjective satisfiedByMeasure="true"/></imsss:objectives>'
        "</imsss:sequencing></imsss:sequencingCollection>"
    )
    data = build(ONE_ORG.format(items), res, NS2004, "2004 4th Edition")
    data = data.replace(b"</manifest>", collection.encode() + b"</manifest>")
    m = parse_manifest(data)
    assert (m.standard, m.edition) == ("2004", "2004 4th Edition")
    one, two, three = (e.item for e in m.scos())
    assert (one.completion_threshold, one.completed_by_measure, one.scaled_passing_score) == (
        0.8,
        True,
        0.6,
    )
    assert (one.data_from_lms, one.time_limit_action, one.max_time_allowed) == (
        "abc",
        "continue,no message",
        "PT1H",
    )
    assert (two.completion_threshold, two.completed_by_measure, two.scaled_passing_score) == (
        0.75,
        True,
        1.0,
    )
    assert (three.completion_threshold, three.scaled_passing_score, three.mastery_score) == (
        None,
        None,
        None,
    )
    assert three.launch_settings() == {}
    assert two.launch_settings() == {"completion_threshold": 0.75, "scaled_passing_score": 1.0}


def test_multiple_organizations_default_and_submanifest():
    orgs = (
        '<organizations default="o2">'
        '<organization identifier="o1"><title>Erste</title><item identifier="i1" identifierref="r"><title>X</title></item></organization>'
        '<organization identifier="o2"><title>Zweite</title><item identifier="i2" identifierref="r"><title>Y</title></item>'
        '<item identifier="i3" identifierref="sub"><title>Teil</title></item></organization>'
        "</organizations>"
    )
    data = build(orgs, SCO).replace(
        b"</manifest>", b'<manifest identifier="sub"><resources/></manifest></manifest>'
    )
    m = parse_manifest(data)
    assert (m.title, m.default_organization) == ("Zweite", "o2")
    assert [e.item.identifier for e in m.scos()] == ["i2"]
    assert [e.item.identifier for e in m.scos("o1")] == ["i1"]
    assert any("Teilmanifest" in w for w in m.warnings)


def test_missing_schemaversion_missing_scormtype_and_missing_default():
    orgs = '<organizations><organization identifier="o"><title>K</title><item identifier="i" identifierref="r"><title>T</title></item></organization></organizations>'
    res = '<resource identifier="r" type="webcontent" href="index.html"/>'
    m = parse_manifest(build(orgs, res, NS2004, version=""))
    assert (m.standard, m.edition, m.schema_version) == ("2004", "2004", None)
    assert m.default_organization == "o"
    assert m.resources["r"].scorm_type == "asset"
    assert len(m.warnings) == 2
    assert parse_manifest(build(orgs, res, NS12, version="")).standard == "1.2"


@pytest.mark.parametrize(
    ("orgs", "resources", "code", "fragment"),
    [
        ("<organizations/>", SCO, "no_organizations", "keine Organisation"),
        (
            '<organizations default="x"><organization identifier="o"><title>K</title><item identifier="i" identifierref="r"><title>T</title></item></organization></organizations>',
            SCO,
            "default_organization_missing",
            "»x«",
        ),
        (
            ONE_ORG.format('<item identifier="i" identifierref="RES-1"><title>Golf</title></item>'),
            SCO,
            "missing_resource",
            "Der Eintrag »Golf« verweist auf die Ressource »RES-1«, die im Manifest fehlt.",
        ),
        (
            ONE_ORG.format('<item identifier="i" identifierref="r"><title>G</title></item>'),
            '<resource identifier="r" type="webcontent" adlcp:scormtype="sco"/>',
            "missing_launch_url",
            "»r«",
        ),
        (
            ONE_ORG.format('<item identifier="r" identifierref="r"><title>G</title></item>'),
            SCO,
            "duplicate_identifier",
            "»r«",
        ),
        (
            ONE_ORG.format('<item identifierref="r"><title>G</title></item>'),
            SCO,
            "item_without_identifier",
            "»G«",
        ),
        (
            ONE_ORG.format('<item identifier="i"><title>Leer</title></item>'),
            SCO,
            "nothing_to_launch",
            "keinen startbaren",
        ),
    ],
)
def test_validation_errors(orgs, resources, code, fragment):
    with pytest.raises(ManifestError) as err:
        parse_manifest(build(orgs, resources))
    assert err.value.code == code
    assert fragment in err.value.message_de


def test_malformed_and_foreign_xml():
    with pytest.raises(ManifestError) as err:
        parse_manifest(b'<?xml version="1.0"?>\n<manifest>\n<organizations>\n</manifest>')
    assert err.value.code == "malformed_xml"
    assert err.value.message_de.startswith(
        "Die Datei imsmanifest.xml ist kein gültiges XML (Zeile 4:"
    )
    for data, code in [(b"", "manifest_empty"), (b"<html/>", "not_a_manifest")]:
        with pytest.raises(ManifestError) as err:
            parse_manifest(data)
        assert err.value.code == code


def test_doctype_entities_are_refused_and_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("STRENG-GEHEIM")
    xxe = ONE_ORG.format('<item identifier="i" identifierref="r"><title>&s;</title></item>')
    data = build(xxe, SCO).replace(
        b"<manifest",
        f'<!DOCTYPE manifest [<!ENTITY s SYSTEM "file://{secret}">]><manifest'.encode(),
        1,
    )
    laughs = "".join(
        ['<!ENTITY l0 "lol">']
        + [f'<!ENTITY l{n} "{("&l" + str(n - 1) + ";") * 10}">' for n in range(1, 10)]
    )
    bomb = build(
        ONE_ORG.format('<item identifier="i" identifierref="r"><title>&l9;</title></item>'), SCO
    )
    bomb = bomb.replace(b"<manifest", f"<!DOCTYPE manifest [{laughs}]><manifest".encode(), 1)
    external = b'<?xml version="1.0"?><!DOCTYPE manifest SYSTEM "http://127.0.0.1:9/x.dtd"><manifest identifier="m"/>'
    for payload in (data, bomb, external, data.decode().encode("utf-16")):
        with pytest.raises(ManifestError) as err:
            parse_manifest(payload)
        assert err.value.code == "manifest_doctype"
        assert "STRENG-GEHEIM" not in str(err.value)


def test_organization_may_reuse_the_manifest_identifier():
    orgs = '<organizations default="m"><organization identifier="m"><title>K</title><item identifier="i" identifierref="r"><title>T</title></item></organization></organizations>'
    m = parse_manifest(build(orgs, SCO))
    assert (m.identifier, m.default_organization) == ("m", "m")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX named pipes")
def test_external_dtd_is_never_opened(tmp_path):
    """A DOCTYPE naming a local file must not make the parser open it (a FIFO would block)."""
    fifo = tmp_path / "evil.dtd"
    os.mkfifo(fifo)
    doc = f'<?xml version="1.0"?><!DOCTYPE manifest SYSTEM "{fifo}"><manifest identifier="m"/>'.encode()
    results = []

    def attempt(func):
        try:
            results.append(func())
        except (ManifestError, etree.XMLSyntaxError) as exc:
            results.append(exc)

    for func in (
        lambda: parse_manifest(doc),
        lambda: etree.fromstring(doc, manifest_module._parser()),
    ):
        worker = threading.Thread(target=attempt, args=(func,), daemon=True)
        worker.start()
        worker.join(timeout=5)
        if worker.is_alive():  # unblock the parser before failing
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            os.close(fd)
            pytest.fail("the parser opened the external DTD")
    assert isinstance(results[0], ManifestError) and results[0].code == "manifest_doctype"
    assert results[1].tag == "manifest"
