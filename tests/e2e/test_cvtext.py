"""test_cvtext.py: the words of a CV are found by the candidate list's search.

People sign up through the public form with a CV (Word, OpenDocument, PDF with a
compressed content stream, plain text), each holding a word no one else has; the worker
reads the files in the background, and a recruiter then finds each person by that word
on /office/candidates. A CV with no text, and a decompression bomb, sign up like any
other and hold nobody up; a new CV confirmed through the mail replaces the old one's
words; `hearthctl verify` finds the index sound.
"""

import io
import re
import struct
import time
import zipfile
import zlib

import pytest

from hearth_stack import csrf_token, unique
from test_community import Outbox, link_in, local, token_of

PASSWORD = "correct horse battery staple"
# The worker reads a few CVs per pass, about once a second.
INDEX_TIMEOUT = 30

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 '<Override PartName="/word/document.xml" ContentType="application/'
                 'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                 '</Types>')


def docx(paragraphs, document=None):
    """A Word file as Word writes one: a deflated ZIP with [Content_Types].xml and
    word/document.xml holding a paragraph of runs per item."""
    body = "".join("<w:p><w:r><w:t xml:space=\"preserve\">%s</w:t></w:r></w:p>" % p
                   for p in paragraphs)
    if document is None:
        document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    '<w:document %s><w:body>%s</w:body></w:document>' % (W_NS, body))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        z.writestr("word/document.xml", document)
    return out.getvalue()


def odt(paragraphs):
    out = io.BytesIO()
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    content = ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content %s '
               'office:version="1.2"><office:body><office:text>%s</office:text>'
               '</office:body></office:document-content>'
               % (ns, "".join("<text:p>%s</text:p>" % p for p in paragraphs)))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text",
                   compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest/>')
    return out.getvalue()


def pdf(lines):
    """A one-page PDF 1.4 whose content stream (FlateDecode) shows each line with Tj,
    with a true xref table: what a simple PDF writer makes."""
    text = b"BT /F1 11 Tf 72 760 Td 14 TL " + b" ".join(
        b"(%s) Tj T*" % l.encode("latin-1").replace(b"(", b"\\(").replace(b")", b"\\)")
        for l in lines) + b" ET"
    stream = zlib.compress(text)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for i, o in enumerate(objs):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i + 1, o)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


def pdf_cid(words):
    """A PDF as Chrome's "Save as PDF" writes one: a Type 0 font whose codes are glyph
    numbers, a ToUnicode map saying which characters they are, the glyphs' widths, and
    each word shown in two runs placed side by side (where a kerning pair would be)."""
    chars = sorted(set("".join(words)))
    code = {c: i + 1 for i, c in enumerate(chars)}
    size, width = 10, 500           # every glyph half an em wide
    runs = []
    for w in words:
        cut = len(w) // 2
        a, b = w[:cut], w[cut:]
        hexs = lambda t: "<%s>" % "".join("%04X" % code[c] for c in t)
        runs.append("%s Tj %g 0 Td %s Tj %g 0 Td" % (
            hexs(a), len(a) * size * width / 1000, hexs(b),
            len(b) * size * width / 1000 + size))     # a gap of one em: a space
    content = ("BT /F1 %d Tf 1 0 0 -1 72 72 Tm %s ET" % (size, " ".join(runs))).encode()
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            "%d beginbfchar\n%s\nendbfchar\nendcmap end end\n" % (
                len(chars), "\n".join("<%04X> <%04X>" % (code[c], ord(c)) for c in chars))).encode()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            None,
            b"<< /Type /Font /Subtype /Type0 /BaseFont /AAAAAA+Sans /Encoding /Identity-H "
            b"/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
            b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /AAAAAA+Sans /DW 0 "
            b"/W [1 [%s]] >>" % " ".join(["%d" % width] * len(chars)).encode(),
            None]
    streams = {4: zlib.compress(content), 7: zlib.compress(cmap)}
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for i, o in enumerate(objs):
        offsets.append(len(out))
        if o is None:
            data = streams[i + 1]
            o = b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(data), data)
        out += b"%d 0 obj\n%s\nendobj\n" % (i + 1, o)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


def bomb():
    """A .docx whose document.xml inflates to 210 MB (from about 200 KB), its CRC wrong
    too: the worker reads a bounded part of it."""
    z = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = ('<?xml version="1.0"?><w:document %s><w:body><w:p><w:r><w:t>bomb</w:t>'
            '</w:r></w:p>' % W_NS).encode()
    chunk = b"<w:p/>" * 100000
    data = z.compress(head) + b"".join(z.compress(chunk) for _ in range(350)) + z.flush()
    types = CONTENT_TYPES.encode()
    entries = [("[Content_Types].xml", 0, types, len(types), zlib.crc32(types)),
               ("word/document.xml", 8, data, len(head) + 350 * len(chunk), 0)]
    out, central = b"", b""
    for name, method, part, usize, crc in entries:
        n = name.encode()
        off = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, 0, method, 0, 0x21, crc,
                           len(part), usize, len(n), 0) + n + part
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 0x0314, 20, 0, method,
                               0, 0x21, crc, len(part), usize, len(n), 0, 0, 0, 0,
                               0o100644 << 16, off) + n
    cd = len(out)
    return out + central + struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, len(entries),
                                       len(entries), len(central), cd, 0)


@pytest.fixture(scope="module")
def office(stack):
    user = "%s@example.com" % unique("rec")
    stack.add_user(user, PASSWORD, role="recruiter")
    c = stack.client()
    assert c.login(user, PASSWORD).status_code == 303
    return c


def found(office, q):
    """The names the candidate list shows for search Q."""
    r = office.get("/office/candidates", params={"q": q})
    assert r.status_code == 200, r.text[:500]
    return re.findall(r'href="/office/candidate\?id=\d+">([^<]+)</a>', r.text)


def wait_found(office, q, count=1):
    deadline = time.monotonic() + INDEX_TIMEOUT
    while True:
        names = found(office, q)
        if len(names) >= count:
            return names
        if time.monotonic() > deadline:
            raise AssertionError("the search for %r found %s after %ds: the worker did not "
                                 "read the CV" % (q, names, INDEX_TIMEOUT))
        time.sleep(0.3)


def join(stack, name, filename, data):
    address = "%s@example.org" % unique(name.split()[0].lower())
    r = stack.client().join(name, address, files={"resume": (filename, data)})
    assert r.status_code == 303, r.text[:500]
    assert r.headers["Location"] == "/joined"
    return address


def test_each_kind_of_cv_is_found_by_its_words(stack, office):
    tag = unique("p")
    words = {kind: unique("zq") for kind in ("docx", "odt", "pdf", "cid", "txt", "accent")}
    # Joined first, so read first: the ones after show they held nobody up.
    join(stack, "Nadia Blank " + tag, "scan.pdf", pdf([]))
    join(stack, "Boris Bomb " + tag, "big.docx", bomb())
    people = {
        "docx": join(stack, "Wanda Word " + tag, "Wanda CV.docx",
                     docx(["Wanda Word", "Senior engineer, " + words["docx"] + " & more"])),
        "odt": join(stack, "Otto Open " + tag, "otto.odt",
                    odt(["Otto Open", "Skills: " + words["odt"]])),
        "pdf": join(stack, "Paula Page " + tag, "cv.pdf",
                    pdf(["Paula Page", "Experience (10 years): " + words["pdf"],
                         "Caf\xe9 " + words["accent"] + "\xe9"])),
        "cid": join(stack, "Chloe Chrome " + tag, "Chloe.pdf",
                    pdf_cid(["Chloe", "Chrome", "Kubernetes", words["cid"]])),
        "txt": join(stack, "Theo Text " + tag, "cv.txt",
                    ("Theo Text\r\nInterests: " + words["txt"] + ", Zürich\n").encode()),
    }
    first = {"docx": "Wanda", "odt": "Otto", "pdf": "Paula", "cid": "Chloe", "txt": "Theo"}
    for kind in first:
        names = wait_found(office, words[kind])
        assert len(names) == 1 and names[0].startswith(first[kind]), (kind, names)
        # The word with the person's name, and not with another's.
        assert len(found(office, "%s %s" % (words[kind], first[kind]))) == 1
        assert found(office, "%s -%s" % (words[kind], first[kind])) == []
    # Accents are folded as in every other search; a word's case does not matter.
    assert [n.split()[0] for n in found(office, words["accent"] + "e")] == ["Paula"]
    assert [n.split()[0] for n in found(office, words["pdf"].upper())] == ["Paula"]
    # The CV without text, and the bomb, signed up like anyone.
    assert [n.split()[0] for n in found(office, "Nadia " + tag)] == ["Nadia"]
    assert [n.split()[0] for n in found(office, "Boris " + tag)] == ["Boris"]
    assert [n.split()[0] for n in wait_found(office, "bomb " + tag)] == ["Boris"]
    # The runs of a word placed side by side make one word, the gaps between words part.
    assert [n.split()[0] for n in found(office, "kubernetes " + tag)] == ["Chloe"]
    assert found(office, "kuber " + tag) == []
    assert len(people) == 5


def test_a_confirmed_new_cv_replaces_the_old_words(stack, office):
    tag = unique("r")
    old, new = unique("zold"), unique("znew")
    name = "Rhea Renew " + tag
    address = join(stack, name, "cv.txt", ("Rhea " + old + "\n").encode())
    assert wait_found(office, old)[0].startswith("Rhea")
    # The same address again with another CV: it waits for the owner's confirmation.
    r = stack.client().join(name, address, files={"resume": ("new.docx", docx([new]))})
    assert r.status_code == 303
    time.sleep(2)
    assert found(office, new) == []
    assert found(office, old)[0].startswith("Rhea")
    # The second mail's link confirms the new details, the CV with them.
    link = link_in(Outbox(stack).wait(address, 2), "/confirm")
    c = stack.client()
    r = c.get(local(link))
    assert r.status_code == 200
    r = c.post("/confirm", data={"t": token_of(link), "csrf_token": csrf_token(r.text)})
    assert r.status_code == 303, r.text[:400]
    assert wait_found(office, new)[0].startswith("Rhea")
    assert found(office, old) == []


def test_the_index_verifies(stack, office):
    r = stack.hearthctl("verify")
    assert r.returncode == 0, r.stdout + r.stderr
