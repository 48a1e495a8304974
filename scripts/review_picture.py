"""Make docs/review-document.png: the first page of a zh-TW review document as a reviewer returns it.

    .venv/bin/python scripts/review_picture.py      # needs LibreOffice (soffice) and poppler-utils (pdftoppm)

The first sentences of the sample release with hand-written translations (one with a wrong year, which the checks
flag in Notes), written by the real review writer; then, as a reviewer would: one row edited, two marked OK."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TRANSLATIONS = {
    "p01.s01": "高醫與日本熊本大學簽署合作協議",
    "p02.s02": "高雄醫學大學（高醫）近年積極推動國際化，持續增加學生赴海外臨床選修及研究交流的機會。",
    "p02.s03": "高醫余明隆校長日前率團訪問日本熊本大學，，與熊本大學小川久雄校長共同簽署學術合作備忘錄。",  # ，，: flagged
    "p02.s04": "兩校醫學院院長亦簽署兩院學生交換協議，正式開啟雙方在醫學教育、臨床訓練與研究合作的新篇章，為台日醫學合作的重要里程碑。",
    "p03.s01": "熊本大學歷史悠久。",
    "p03.s02": "其前身學校之一培育了北里柴三郎；他是日本近代醫學的關鍵人物，也是日本千圓紙鈔上的人物。",
    "p03.s03": "小川久雄校長曾任日本國立循環器病研究中心（NCVC）理事長，展現熊本大學在臨床與轉譯研究的領導地位。",
    "p03.s04": "此次合作也延續高雄市與熊本市自2071年締結姊妹市以來的情誼。",  # a wrong year: flagged
}
EDITED = {"p03.s01": "熊本大學歷史悠久，聲譽卓著。"}
MARKED = ("p01.s01", "p02.s02")


def main() -> None:
    import docx

    from pipeline.core.release import ModelInfo, TranslatedRelease, Translation
    from pipeline.glossary import find_uncovered_names, load_glossary
    from pipeline.qa import run_checks
    from pipeline.run import StageTimes, prepare_release
    from pipeline.translation.stage import find_terms
    from pipeline.review.write.writer import write_review_docx

    release = prepare_release(ROOT / "samples" / "kmu-kumamoto-mou-2025.txt", None, StageTimes())
    import os

    os.chdir(ROOT)
    glossary = load_glossary(Path("glossaries"))
    segments = [s for s in release.segments if s.id in TRANSLATIONS or s.verbatim]
    segments = segments[: len(TRANSLATIONS) + 1]
    keep = {s.id for s in segments}
    for paragraph in release.paragraphs:
        paragraph.segments = [s for s in paragraph.segments if s.id in keep]
    translations = []
    for segment in release.segments:
        text = segment.source if segment.verbatim else TRANSLATIONS[segment.id]
        origin = "verbatim" if segment.verbatim else "machine"
        translations.append(Translation(segment.id, "zh-TW", text, origin, terms=find_terms(segment, glossary, "zh-TW")))
    run_checks(release.segments, translations)
    model = ModelInfo("zh-TW", "translate-en_zt-1_9", "1.9", "en", "zt")
    tr = TranslatedRelease(release, {"zh-TW": translations}, {"zh-TW": model}, glossary.path, glossary.hash,
                           find_uncovered_names(release.text, glossary))  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "kmu-kumamoto-mou-2025.zh-TW.review.docx"
        write_review_docx(tr, "zh-TW", path, generated_at="2025-11-28T09:00:00+08:00",
                          source_label="releases/kmu-kumamoto-mou-2025.txt", run_id="3f9c2a71d0be")  # fmt: skip
        doc = docx.Document(str(path))
        for row in doc.tables[0].rows[1:]:
            sid = row.cells[0].text.strip()
            if sid in EDITED:
                cell = row.cells[2].paragraphs[0]
                for r in list(cell.runs)[1:]:
                    r._r.getparent().remove(r._r)
                cell.runs[0].text = EDITED[sid]
            if sid in MARKED:
                row.cells[4].paragraphs[0].runs[0].text = "OK"
        doc.save(str(path))
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", tmp, str(path)], check=True,
                       capture_output=True, timeout=300)  # fmt: skip
        pdf = path.with_suffix(".pdf")
        subprocess.run(["pdftoppm", "-png", "-r", "90", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(ROOT / "docs" / "review-document")], check=True, timeout=120)  # fmt: skip
    print(ROOT / "docs" / "review-document.png")


if __name__ == "__main__":
    main()
