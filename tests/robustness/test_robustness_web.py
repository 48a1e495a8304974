"""Issue 22, major 8: a 1 MB .docx holding a 1 GB deflated image must not cost a gigabyte to publish (docs/robustness.md,
"The web page"). The image stays in the kept source and is streamed: into the published .docx in 1 MB pieces, and
not at all beside the web page (over the image limit, named in a note). Publish runs under a memory cap the old
behaviour (python-docx reading every part, `image.blob` read whole) could not meet."""

from __future__ import annotations

import io
import zipfile

from support import formatted_release as fr
from support.bounded_cli import GiB, run_capped
from support.scripted_runs import run_and_review
from support.web_allowlist import check_fragment, check_images

IMAGE_BYTES = GiB


def build_bomb_docx(path):
    import docx
    from docx.shared import Mm

    document = docx.Document()
    document.add_paragraph("Image Bomb Release Test", style="Title")
    document.add_paragraph("The university published a very large photograph of its campus today.")
    document.add_picture(io.BytesIO(fr.png()), width=Mm(40))
    document.add_paragraph("Figure 1. The campus.", style="Caption")
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as small, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in small.infolist():
            if info.filename != "word/media/image1.png":
                bomb.writestr(info.filename, small.read(info))
                continue
            entry = zipfile.ZipInfo(info.filename)
            entry.compress_type = zipfile.ZIP_DEFLATED
            with bomb.open(entry, "w", force_zip64=True) as image:
                image.write(fr.png())  # a PNG by its first bytes, then a gigabyte of zeros
                zeros = bytes(16 * 1024 * 1024)
                for _ in range(IMAGE_BYTES // len(zeros)):
                    image.write(zeros)
    return path


def test_a_one_gigabyte_image_is_streamed_not_read_when_publishing_the_web_page(tmp_path, cli):
    (tmp_path / "releases").mkdir()
    release = build_bomb_docx(tmp_path / "releases" / "bomb.docx")
    assert release.stat().st_size < 4 * 1024 * 1024
    folder = run_and_review(release, tmp_path / "out", cli)
    result = run_capped(["publish", folder, "--no-memory", "--format", "html", "--to", "ja"], memory=int(0.9 * GiB),
                        timeout=300)
    output = result.stdout + result.stderr
    assert result.returncode == 0 and "Traceback" not in output and "MemoryError" not in output, output[-3000:]
    assert "image word/media/image1.png" in output and "over the 32 MB limit" in output, output
    page = folder / "bomb.ja.html"
    root = check_fragment(page.read_text(encoding="utf-8"))
    assert check_images(page, root) == [] and "<img" not in page.read_text(encoding="utf-8")
    with zipfile.ZipFile(folder / "bomb.ja.docx") as published:  # the publication keeps its image, whole
        info = published.getinfo("word/media/image1.png")
        assert info.file_size == len(fr.png()) + IMAGE_BYTES
        with published.open(info) as image:
            assert image.read(len(fr.png())) == fr.png()
