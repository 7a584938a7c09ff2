"""Files the demo's people send, made at seed time: Word documents (with or without clause 6.5's
formatting), photographs, payment scans, short videos and a presentation as PDF. ffmpeg draws the
pictures and videos; the .docx and the PDFs are written by hand, as the tests' builders do."""
import subprocess
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_TNR = 'w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"'

# Times New Roman 14 pt, 1.5 lines, justified, a 1.25 cm indent, bold centred headings: clause 6.5.
_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{_W}">
<w:docDefaults>
 <w:rPrDefault><w:rPr><w:rFonts {_TNR}/><w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="ru-RU"/></w:rPr></w:rPrDefault>
 <w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="360" w:lineRule="auto"/></w:pPr></w:pPrDefault>
</w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:firstLine="709"/><w:jc w:val="both"/></w:pPr></w:style>
<w:style w:type="character" w:default="1" w:styleId="a0"><w:name w:val="Default Paragraph Font"/></w:style>
<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/><w:next w:val="a"/><w:pPr><w:keepNext/><w:ind w:firstLine="0"/><w:jc w:val="center"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:bCs/></w:rPr></w:style>
<w:style w:type="table" w:default="1" w:styleId="a1"><w:name w:val="Normal Table"/></w:style>
</w:styles>"""

_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>')
_DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>')


def _paragraph(text, heading=False, loose=False):
    ppr = '<w:pPr><w:pStyle w:val="1"/></w:pPr>' if heading else ""
    if loose and not heading:
        # What a hurried author leaves: Arial 12 pt, single spacing, ragged right, no indent.
        ppr = '<w:pPr><w:spacing w:line="240" w:lineRule="auto"/><w:ind w:firstLine="0"/><w:jc w:val="left"/></w:pPr>'
        rpr = '<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial"/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr>'
    else:
        rpr = ""
    return f'<w:p>{ppr}<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def docx(path, title, sections, compliant):
    """sections: [(heading, [paragraphs])]. A compliant document keeps clause 6.5 (a reference in
    its text, the margins); the other one is typed in Arial with narrow margins."""
    body = [_paragraph(title, heading=True)]
    for heading, paragraphs in sections:
        body.append(_paragraph(heading, heading=True))
        body.extend(_paragraph(p, loose=not compliant) for p in paragraphs)
    margins = ('w:top="1134" w:right="851" w:bottom="1134" w:left="1701"' if compliant
               else 'w:top="720" w:right="720" w:bottom="720" w:left="720"')
    sect = (f'<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar {margins} '
            'w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>')
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{_W}" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                f'<w:body>{"".join(body)}{sect}</w:body></w:document>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _TYPES)
        z.writestr("_rels/.rels", _ROOT_RELS)
        z.writestr("word/document.xml", document)
        z.writestr("word/_rels/document.xml.rels", _DOCUMENT_RELS)
        z.writestr("word/styles.xml", _STYLES)
    return Path(path)


def _ffmpeg(*args):
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", *args], check=True)


def _text(text, size, y, bold=False):
    # drawtext reads the text from a file, so quotes and colons need no escaping.
    return (f"drawtext=fontfile={FONT_BOLD if bold else FONT}:textfile={text}:fontsize={size}:fontcolor=white:"
            f"x=(w-text_w)/2:y={y}:box=1:boxcolor=black@0.35:boxborderw=18")


def _text_file(work, name, text):
    path = Path(work) / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    return path


def photo(path, caption, colours):
    """A JPEG of 1–5 MB (the agenda's photo rule): a coloured gradient with grain and a caption."""
    c0, c1 = colours
    caption_file = _text_file(Path(path).parent, Path(path).stem, caption)
    _ffmpeg("-f", "lavfi", "-i", f"gradients=s=1800x1200:c0={c0}:c1={c1}:x0=0:y0=0:x1=1800:y1=1200",
            "-vf", f"noise=alls=18:allf=u,{_text(caption_file, 64, 'h-200')}",
            "-frames:v", "1", "-q:v", "2", str(path))
    return Path(path)


def video(path, title, subtitle, seconds, colours, codec="h264"):
    """A short video: a moving gradient, the work's title, a tone. `h264` is playable in a browser
    as it is; `mpeg4` (an AVI) is one the server's conversion job turns into H.264."""
    work = Path(path).parent
    title_file = _text_file(work, Path(path).stem + "-title", title)
    subtitle_file = _text_file(work, Path(path).stem + "-subtitle", subtitle)
    c0, c1 = colours
    # A plain colour drifting through hues is far cheaper to draw than a gradient, frame by frame.
    source = f"color=c={c0}:s=480x270:r=5:d={seconds}"
    drawn = (f"hue=h=t*6,{_text(title_file, 24, 90, bold=True).replace('x=(w-text_w)/2', 'x=(w-text_w)/2+30*sin(t/3)')},"
             f"{_text(subtitle_file, 14, 160)}")
    audio = f"sine=frequency=330:beep_factor=2:duration={seconds}:sample_rate=22050"
    if codec == "h264":
        codecs = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "32k",
                  "-movflags", "+faststart"]
    else:
        codecs = ["-c:v", "mpeg4", "-q:v", "8", "-c:a", "libmp3lame", "-b:a", "48k"]
    _ffmpeg("-f", "lavfi", "-i", source, "-f", "lavfi", "-i", audio, "-vf", drawn, *codecs, "-shortest", str(path))
    return Path(path)


def _pdf(pages):
    """pages: [(jpeg bytes, width, height)] → a PDF with one full-page picture per page."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", None]
    kids = []
    for i, (jpeg, width, height) in enumerate(pages):
        page_no, image_no, content_no = 3 + 3 * i, 4 + 3 * i, 5 + 3 * i
        kids.append(f"{page_no} 0 R")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] "
                       f"/Resources << /XObject << /Im{i} {image_no} 0 R >> >> /Contents {content_no} 0 R >>")
        objects.append((f"<< /Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceRGB "
                        f"/BitsPerComponent 8 /Filter /DCTDecode /Length {len(jpeg)} >>", jpeg))
        draw = f"q {width} 0 0 {height} 0 0 cm /Im{i} Do Q".encode()
        objects.append((f"<< /Length {len(draw)} >>", draw))
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(pages)} >>"
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        if isinstance(obj, tuple):
            head, data = obj
            out += f"{number} 0 obj\n{head}\nstream\n".encode() + data + b"\nendstream\nendobj\n"
        else:
            out += f"{number} 0 obj\n{obj}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def presentation(path, title, slides, colours):
    """A PDF of slides (the title slide, then one per line of `slides`), 960×540 each."""
    work = Path(path).parent
    pages = []
    c0, c1 = colours
    for n, line in enumerate([title, *slides]):
        text_file = _text_file(work, f"{Path(path).stem}-{n}", line)
        jpeg = work / f"{Path(path).stem}-{n}.jpg"
        _ffmpeg("-f", "lavfi", "-i", f"gradients=s=960x540:c0={c0}:c1={c1}:x0=0:y0=540:x1=960:y1=0:seed={n + 1}",
                "-vf", _text(text_file, 40 if n == 0 else 32, "(h-text_h)/2", bold=n == 0),
                "-frames:v", "1", "-q:v", "4", str(jpeg))
        pages.append((jpeg.read_bytes(), 960, 540))
    Path(path).write_bytes(_pdf(pages))
    return Path(path)


def scan(path, lines):
    """A one-page "scan" of a paper document: grey paper with typed lines, as a PDF."""
    work = Path(path).parent
    text_file = _text_file(work, Path(path).stem, "\n".join(lines))
    jpeg = work / f"{Path(path).stem}.jpg"
    _ffmpeg("-f", "lavfi", "-i", "color=c=0xf4f1ea:s=595x842", "-vf",
            f"noise=alls=6:allf=u,drawtext=fontfile={FONT}:textfile={text_file}:fontsize=14:fontcolor=0x222222:"
            "x=50:y=80:line_spacing=10",
            "-frames:v", "1", "-q:v", "5", str(jpeg))
    Path(path).write_bytes(_pdf([(jpeg.read_bytes(), 595, 842)]))
    return Path(path)
