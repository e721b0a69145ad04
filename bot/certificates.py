"""The certificate picture: what it says (pure, tested) apart from drawing it (Pillow).

A5 landscape (210 × 148 mm) at 10 px per mm, 2100 × 1480 px: 254 dpi when printed on A5,
and on a phone, where a chat shows it about 380 px wide, no text is smaller than 60 px
here (about 11 px on the screen). Fonts: DejaVu, which has every Vietnamese diacritic and
ships inside matplotlib, so the picture looks the same on every server.

It says that it is the commune's acknowledgement, not the national certificate, and how to
get the national one.
"""

from __future__ import annotations

import asyncio
import logging
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.content import Catalog
from bot.core import certificate
from bot.core.ports import CertificateData
from bot.i18n import _, format_day, use_locale
from bot.storage import Storage

log = logging.getLogger(__name__)

SIZE = (2100, 1480)  # A5 landscape, 10 px per mm
MARGIN = 110  # inside the border
# The smallest text: 54 px of 2100 is the charts' rule (28 px of 1080), about 10 px on a
# phone showing the picture 380 px wide.
MIN_TEXT = 54
GAP = 22
FULL_TITLES = 4  # up to this many lessons are listed with their full titles
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,32}$")
KEEP_FILES = 600  # seconds a drawn picture stays on disk (a channel reads it at once)
GREEN, RED, INK, MUTED, PAPER, PALE = (
    "#1F6E43", "#B03A2E", "#1F2933", "#52606D", "#FFFDF6", "#EEF5EF",
)  # fmt: skip


@dataclass(frozen=True)
class Line:
    """One block of text on the certificate, in the order drawn (wrapped when long)."""

    text: str
    size: int  # px
    bold: bool = False
    colour: str = INK
    role: str = ""  # what it is: issuer, title, name, place, date, lessons, note


def short_title(title: str) -> str:
    """ "VNeID: căn cước trên điện thoại" → "VNeID", for a long list."""
    head = title.split(":", 1)[0].strip()
    return head or title


def lessons_text(data: CertificateData, *, short: bool) -> str:
    titles = [short_title(t) for t in data.lessons] if short else list(data.lessons)
    return _("Lessons passed ({count}): {titles}.").format(
        count=len(data.lessons), titles="; ".join(titles)
    )


def certificate_lines(data: CertificateData, *, short: bool | None = None) -> list[Line]:
    """Everything written on the certificate, in its language, top to bottom. Lessons are
    listed by full title up to FULL_TITLES, by the title's first part beyond."""
    if short is None:
        short = len(data.lessons) > FULL_TITLES
    with use_locale(data.language):
        place = ", ".join(part for part in (data.village, data.commune) if part)
        issuer = " · ".join(part for part in (data.commune, "Bình dân học vụ số") if part)
        lines = [
            Line(issuer.upper(), 54, True, GREEN, "issuer"),
            Line(_("CERTIFICATE OF LEARNING"), 112, True, RED, "title"),
        ]
        if data.name:
            lines.append(Line(data.name, 110, True, INK, "name"))
            if place:
                lines.append(Line(_("of {place}").format(place=place), 60, False, MUTED, "place"))
        elif place:
            lines.append(
                Line(_("A learner of {place}").format(place=place), 72, True, INK, "place")
            )
        finished = _("finished the core lessons on {date}.").format(
            date=format_day(data.finished_on)
        )
        lines.append(Line(finished, 62, role="date"))
        lines.append(Line(lessons_text(data, short=short), 56, role="lessons"))
        note = _(
            "This is the commune's acknowledgement, not the national certificate. The national "
            "certificate: finish a course on binhdanhocvuso.gov.vn (log in with VNeID)."
        )
        lines.append(Line(note, 54, True, RED, "note"))
    return lines


def _fonts_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def draw_certificate(data: CertificateData, path: Path) -> Path:
    """The PNG of ``certificate_lines(data)``: a bordered A5 page, every line centred and
    wrapped; when the lessons do not fit, they are listed by count only."""
    from PIL import Image, ImageDraw, ImageFont

    fonts = _fonts_dir()

    def font(size: int, bold: bool) -> ImageFont.FreeTypeFont:
        name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
        return ImageFont.truetype(str(fonts / name), size)

    image = Image.new("RGB", SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    width, height = SIZE
    usable = width - 2 * MARGIN

    def wrap(text: str, face: ImageFont.FreeTypeFont) -> list[str]:
        rows: list[str] = []
        current = ""
        for word in text.split():
            trial = f"{current} {word}".strip()
            if draw.textlength(trial, font=face) <= usable or not current:
                current = trial
            else:
                rows.append(current)
                current = word
        return [*rows, current] if current else rows

    def layout(lines: list[Line]) -> list[tuple[Line, ImageFont.FreeTypeFont, list[str], int]]:
        blocks = []
        for line in lines:
            face = font(line.size, line.bold)
            spacing = 1.2 if line.role == "lessons" else 1.25
            blocks.append((line, face, wrap(line.text, face), round(line.size * spacing)))
        return blocks

    def height_of(blocks: list[tuple[Line, ImageFont.FreeTypeFont, list[str], int]]) -> int:
        return GAP * (len(blocks) - 1) + sum(len(rows) * step for _l, _f, rows, step in blocks)

    room = height - 2 * MARGIN
    lines = certificate_lines(data)
    blocks = layout(lines)
    if height_of(blocks) > room:  # many lessons: short titles at the smallest size
        short = [
            Line(lessons_text(data, short=True), MIN_TEXT, role="lessons")
            if x.role == "lessons"
            else x
            for x in lines
        ]
        blocks = layout(short)
    if height_of(blocks) > room:  # still too many: the count only
        with use_locale(data.language):
            count = _("Lessons passed: {count}.").format(count=len(data.lessons))
        lines = [Line(count, 56, role="lessons") if x.role == "lessons" else x for x in lines]
        blocks = layout(lines)
    draw.rectangle((40, 40, width - 40, height - 40), outline=GREEN, width=14)
    draw.rectangle((70, 70, width - 70, height - 70), outline=GREEN, width=4)
    y = MARGIN + max(0, (room - height_of(blocks)) // 2)
    for line, face, rows, step in blocks:
        if line.role == "note":
            box = (MARGIN - 16, y - 16, width - MARGIN + 16, y + len(rows) * step + 8)
            draw.rounded_rectangle(box, radius=24, fill=PALE)
        for row in rows:
            draw.text((width // 2, y), row, font=face, fill=line.colour, anchor="ma")
            y += step
        y += GAP
    image.save(path, format="PNG", optimize=True)
    return path


class CertificateService:
    """Draws certificates into a private folder of its own, and again by token for the
    picture URL Zalo fetches (the row may live in another process's database session)."""

    def __init__(
        self, storage: Storage, catalog: Catalog, tz: ZoneInfo, folder: Path | None = None
    ):
        self.storage = storage
        self.catalog = catalog
        self.tz = tz
        self.own_folder = folder is None
        self.folder = folder or Path(tempfile.mkdtemp(prefix="hocvuso-certificates-"))

    async def picture(self, data: CertificateData) -> Path | None:
        if not TOKEN.match(data.token):
            return None
        self._prune()
        path = self.folder / f"cert-{data.token}.png"
        return await asyncio.to_thread(draw_certificate, data, path)

    async def by_token(self, token: str) -> Path | None:
        """The picture of the certificate this token names; None when there is none (a
        learner who deleted their data, or a made-up token)."""
        if not TOKEN.match(token):
            return None
        learner = await self.storage.certificate_holder(token)
        if learner is None:
            return None
        record = await self.storage.certificate(learner.id)
        if record is None:
            return None
        with use_locale(learner.language):
            data = await certificate.build_data(
                self.storage, self.catalog, learner, record, self.tz
            )
        return await self.picture(data)

    def close(self) -> None:
        """At exit: no picture with a name is left behind in the temporary folder."""
        if self.own_folder:
            shutil.rmtree(self.folder, ignore_errors=True)

    def _prune(self) -> None:
        """Pictures carry a name: none is kept longer than the send needs."""
        limit = time.time() - KEEP_FILES
        for old in self.folder.glob("cert-*.png"):
            try:
                if old.stat().st_mtime < limit:
                    old.unlink()
            except OSError:
                continue
