"""Import a generated 50-slide PowerPoint deck; baseline: the same 50 slides
from Marp Markdown, in the same run.

Each side runs in its own child process on a throwaway SQLite database, so
its peak RSS is its own. Figures: median seconds over the repeats, the
tracemalloc peak of one import, and peak RSS (whole process, and the growth
over what the process held before the measured imports).
"""

from __future__ import annotations

import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

SLIDES = 50
REPEATS = 5
PROJECT = Path(__file__).resolve().parent.parent


def _picture(number: int) -> bytes:
    from PIL import Image

    output = io.BytesIO()
    Image.new("RGB", (640, 480), (number * 5 % 256, 80, 160)).save(output, "PNG")
    return output.getvalue()


def _slide_texts(number: int) -> tuple[str, list[tuple[str, int]], str]:
    title = f"標的型メールの見分け方 {number}"
    paragraphs = [
        ("差出人のアドレスを確かめる", 0),
        ("表示名だけで判断しない", 1),
        ("添付ファイルを開く前に確認する", 0),
        ("マクロを有効にしない", 1),
        ("不審なら情報セキュリティ担当に連絡する", 0),
    ]
    notes = f"スライド{number}の説明：実例を見せて、受講者に問いかける。"
    return title, paragraphs, notes


def build_pptx(slides: int = SLIDES) -> bytes:
    from pptx import Presentation
    from pptx.util import Inches

    presentation = Presentation()
    for number in range(1, slides + 1):
        title, paragraphs, notes = _slide_texts(number)
        slide = presentation.slides.add_slide(presentation.slide_layouts[1])
        slide.shapes.title.text = title
        body = slide.placeholders[1].text_frame
        for index, (text, level) in enumerate(paragraphs):
            paragraph = body.paragraphs[0] if index == 0 else body.add_paragraph()
            paragraph.text, paragraph.level = text, level
        if number % 5 == 0:
            table = slide.shapes.add_table(
                3, 2, Inches(1), Inches(5), Inches(6), Inches(1)
            ).table
            for row in range(3):
                for column in range(2):
                    table.cell(row, column).text = f"項目{row}-{column}"
        if number % 10 == 0:
            slide.shapes.add_picture(
                io.BytesIO(_picture(number)), Inches(6), Inches(2), width=Inches(3)
            )
        slide.notes_slide.notes_text_frame.text = notes
    output = io.BytesIO()
    presentation.save(output)
    return output.getvalue()


def build_markdown(slides: int = SLIDES) -> str:
    chunks = ["---\ntitle: 標的型メールの見分け方\n---"]
    for number in range(1, slides + 1):
        title, paragraphs, notes = _slide_texts(number)
        body = "\n".join(f"{'    ' * level}- {text}" for text, level in paragraphs)
        if number % 5 == 0:
            body += "\n\n| 項目0-0 | 項目0-1 |\n| --- | --- |\n| 項目1-0 | 項目1-1 |"
        chunks.append(f"# {title}\n\n{body}\n\n<!-- {notes} -->")
    return "\n\n---\n\n".join(chunks) + "\n"


def _measure(kind: str) -> dict:
    """Run in the child: set up Django on a fresh database, time one side."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from learning_series.marp import parse_deck
    from learning_series.models import SeriesIndexPage, SeriesPage
    from learning_series.pptx.services import lesson_import_pptx
    from learning_series.services import lesson_create_from_deck

    owner = get_user_model().objects.create_superuser("bench", "bench@example.jp")
    series = SeriesPage(title="ベンチマーク", slug="bench")
    SeriesIndexPage.objects.get(slug="series").add_child(instance=series)
    pptx_data = build_pptx()
    markdown = build_markdown()

    def run_once():
        if kind == "pptx":
            return lesson_import_pptx(
                series=series, file=io.BytesIO(pptx_data), owner=owner
            ).slide_count
        deck = parse_deck(markdown)
        lesson, _ = lesson_create_from_deck(
            series=series, deck=deck, owner=owner, slug=f"md-{time.monotonic_ns()}"
        )
        return len(deck.slides)

    run_once()  # warm caches (templates, content types) outside the figures
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    durations = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        slides = run_once()
        durations.append(time.perf_counter() - started)
    tracemalloc.start()
    run_once()
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "slides": slides,
        "input_bytes": len(pptx_data) if kind == "pptx" else len(markdown.encode()),
        "median_seconds": statistics.median(durations),
        "tracemalloc_peak_mb": traced_peak / 1024 / 1024,
        "peak_rss_mb": rss_peak / 1024,
        "rss_growth_mb": (rss_peak - rss_before) / 1024,
    }


def _child(kind: str) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="gofun-bench-pptx-"))
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GOFUN_", "DATABASE_URL", "DJANGO_"))
    }
    environment |= {
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "PYTHONWARNINGS": "ignore",
    }
    try:
        completed = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "bench.pptx_import", kind],
            cwd=PROJECT,
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        )
    except subprocess.CalledProcessError as error:
        raise RuntimeError(error.stderr) from error
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    shutil.rmtree(figures.pop("media_root"), ignore_errors=True)
    return figures


def run() -> dict:
    pptx = _child("pptx")
    markdown = _child("markdown")
    return {
        "slides": SLIDES,
        "repeats": REPEATS,
        "pptx_import": pptx,
        "markdown_baseline": markdown,
        "time_ratio_to_markdown": pptx["median_seconds"] / markdown["median_seconds"],
        "tracemalloc_ratio_to_markdown": pptx["tracemalloc_peak_mb"]
        / markdown["tracemalloc_peak_mb"],
        "peak_rss_ratio_to_markdown": pptx["peak_rss_mb"] / markdown["peak_rss_mb"],
    }


if __name__ == "__main__":
    figures = _measure(sys.argv[1])
    from django.conf import settings

    figures["media_root"] = str(settings.MEDIA_ROOT)
    print(json.dumps(figures))
