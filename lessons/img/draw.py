"""Authoring tool: draws the lesson illustrations in this folder.

Not part of the bot. Every picture is a simple drawn diagram (no screenshots, no real
logos, no scannable codes), marked "Hình minh họa" (illustration), about 640x400 and
well under 60 KB so it loads on a small phone.

Pictures are 640 px wide but a chat shows them about 360 px wide on a small phone, so
every text is drawn at least MIN_TEXT (22) px high: about 12 px on the screen, the
smallest an older reader can still make out. ``main`` refuses a picture that used a smaller
font. Fewer, bigger words beat more, smaller ones.

Run it from any directory with Pillow installed in a throw-away environment::

    python3 -m venv /tmp/imgenv && /tmp/imgenv/bin/pip install pillow
    /tmp/imgenv/bin/python lessons/img/draw.py            # all pictures
    /tmp/imgenv/bin/python lessons/img/draw.py check-name # one picture

It needs a TrueType font with Vietnamese diacritics (DejaVu Sans; on Debian
``apt-get install fonts-dejavu-core``) or a path in the HOCVUSO_FONT_DIR variable.
"""

from __future__ import annotations

import os
import random
import sys
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

OUT_DIR = Path(__file__).resolve().parent
SIZE = (640, 400)
MAX_BYTES = 60_000
# Smallest text size in the 640-px picture: readable when shown ~360 px wide (see above).
MIN_TEXT = 22

BG = "#F7F9FC"
INK = "#1F2933"
MUTED = "#52606D"
GREEN = "#2E9E44"
RED = "#D64545"
BLUE = "#2F6FDE"
LIGHT = "#E4ECF7"
PALE_GREEN = "#E3F4E6"
PALE_RED = "#FBE5E5"
YELLOW = "#F2C94C"
WHITE = "#FFFFFF"

FONT_DIRS = (
    os.environ.get("HOCVUSO_FONT_DIR", ""),
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/local/share/fonts",
)

Draw = ImageDraw.ImageDraw
Box = tuple[int, int, int, int]


# The smallest font size asked for since the last reset: main() checks each picture.
_smallest: list[int] = []


def font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    """Load DejaVu Sans, which covers every Vietnamese letter with its diacritics."""
    _smallest.append(size)
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        path = Path(folder) / name
        if folder and path.is_file():
            return ImageFont.truetype(str(path), size)
    raise SystemExit(f"{name} not found: install fonts-dejavu-core or set HOCVUSO_FONT_DIR")


def canvas(title: str) -> tuple[Image.Image, Draw]:
    """A blank picture with a title on top and the illustration mark in the corner."""
    image = Image.new("RGB", SIZE, BG)
    draw = ImageDraw.Draw(image)
    centered(draw, title, SIZE[0] // 2, 34, font(30, bold=True))
    mark = "Hình minh họa"
    small = font(MIN_TEXT)
    width = int(draw.textlength(mark, font=small))
    draw.text((SIZE[0] - width - 10, SIZE[1] - 30), mark, font=small, fill=MUTED)
    return image, draw


def centered(
    draw: Draw, text: str, x: int, y: int, face: ImageFont.FreeTypeFont, fill: str = INK
) -> None:
    """Write one line of text centred on the point (x, y)."""
    draw.text((x, y), text, font=face, fill=fill, anchor="mm")


def lines(
    draw: Draw,
    texts: list[str],
    x: int,
    y: int,
    face: ImageFont.FreeTypeFont,
    fill: str = INK,
    gap: int = 6,
) -> None:
    """Write several lines centred on x, the first one centred on y."""
    step = face.size + gap
    for i, text in enumerate(texts):
        centered(draw, text, x, y + i * step, face, fill)


def phone(draw: Draw, box: Box, screen: str = WHITE) -> Box:
    """Draw a phone outline and return the box of its screen."""
    x0, y0, x1, y1 = box
    draw.rounded_rectangle(box, radius=22, fill=INK)
    inner = (x0 + 10, y0 + 28, x1 - 10, y1 - 28)
    draw.rounded_rectangle(inner, radius=6, fill=screen)
    mid = (x0 + x1) // 2
    draw.rounded_rectangle((mid - 18, y0 + 11, mid + 18, y0 + 17), radius=3, fill=MUTED)
    draw.ellipse((mid - 8, y1 - 22, mid + 8, y1 - 6), outline=MUTED, width=2)
    return inner


def tick(draw: Draw, cx: int, cy: int, r: int = 26) -> None:
    """A green disc with a white check mark: the right way."""
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=GREEN)
    w = max(4, r // 4)
    points = [(cx - r * 0.5, cy), (cx - r * 0.12, cy + r * 0.4), (cx + r * 0.55, cy - r * 0.4)]
    draw.line(points, fill=WHITE, width=w, joint="curve")


def cross(draw: Draw, cx: int, cy: int, r: int = 26) -> None:
    """A red disc with a white X: the wrong way."""
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=RED)
    d = int(r * 0.45)
    w = max(4, r // 4)
    draw.line((cx - d, cy - d, cx + d, cy + d), fill=WHITE, width=w)
    draw.line((cx - d, cy + d, cx + d, cy - d), fill=WHITE, width=w)


def arrow(draw: Draw, x0: int, y: int, x1: int, color: str = MUTED) -> None:
    """A thick horizontal arrow from x0 to x1."""
    draw.line((x0, y, x1 - 12, y), fill=color, width=7)
    draw.polygon([(x1, y), (x1 - 18, y - 13), (x1 - 18, y + 13)], fill=color)


def fake_qr(draw: Draw, x: int, y: int, size: int, seed: int = 7) -> None:
    """A QR-looking pattern. It encodes nothing and cannot be scanned."""
    cells = 21
    cell = size // cells
    draw.rectangle((x - 6, y - 6, x + cells * cell + 6, y + cells * cell + 6), fill=WHITE)
    rng = random.Random(seed)
    for row in range(cells):
        for col in range(cells):
            corner = (row < 8 and col < 8) or (row < 8 and col > 12) or (row > 12 and col < 8)
            if not corner and rng.random() < 0.45:
                cx, cy = x + col * cell, y + row * cell
                draw.rectangle((cx, cy, cx + cell - 1, cy + cell - 1), fill=INK)
    for fx, fy in ((0, 0), (14, 0), (0, 14)):
        ox, oy = x + fx * cell, y + fy * cell
        draw.rectangle((ox, oy, ox + 7 * cell - 1, oy + 7 * cell - 1), fill=INK)
        draw.rectangle((ox + cell, oy + cell, ox + 6 * cell - 1, oy + 6 * cell - 1), fill=WHITE)
        draw.rectangle(
            (ox + 2 * cell, oy + 2 * cell, ox + 5 * cell - 1, oy + 5 * cell - 1), fill=INK
        )


def pill(draw: Draw, box: Box, text: str, fill: str, color: str = WHITE, size: int = 24) -> None:
    """A rounded button with a label."""
    draw.rounded_rectangle(box, radius=12, fill=fill)
    centered(
        draw, text, (box[0] + box[2]) // 2, (box[1] + box[3]) // 2, font(size, bold=True), color
    )


# --- one function per picture -------------------------------------------------------
# Every text is at least MIN_TEXT px; the bottom-right corner (x > 460, y > 366) is kept
# free for the "Hình minh họa" mark.


def vneid_install() -> Image.Image:
    image, draw = canvas("Cài VNeID ở đâu?")
    left = phone(draw, (95, 66, 275, 320))
    pill(draw, (left[0] + 10, left[1] + 22, left[2] - 10, left[1] + 66), "App Store", BLUE)
    pill(draw, (left[0] + 10, left[1] + 82, left[2] - 10, left[1] + 126), "CH Play", GREEN)
    tick(draw, 185, 260)
    right = phone(draw, (365, 66, 545, 320))
    draw.rounded_rectangle(
        (right[0] + 8, right[1] + 30, right[2] - 8, right[1] + 130), radius=12, fill=PALE_RED
    )
    lines(draw, ["Link lạ", "http://..."], 455, right[1] + 62, font(24, bold=True), RED)
    cross(draw, 455, 255)
    centered(draw, "Kho chính thức", 185, 346, font(24, bold=True), GREEN)
    centered(draw, "Link người gửi", 455, 346, font(24, bold=True), RED)
    return image


def vneid_levels() -> Image.Image:
    image, draw = canvas("Hai mức tài khoản VNeID")
    for x0, label, color in ((25, "Mức 1", BLUE), (335, "Mức 2", GREEN)):
        draw.rounded_rectangle(
            (x0, 64, x0 + 280, 356), radius=18, fill=WHITE, outline=color, width=4
        )
        pill(draw, (x0 + 80, 76, x0 + 200, 118), label, color, size=26)
    phone(draw, (120, 130, 210, 250))
    lines(draw, ["Tự đăng ký", "trên ứng dụng"], 165, 270, font(24, bold=True), gap=6)
    centered(draw, "Dùng ít việc", 165, 326, font(24, bold=True), MUTED)
    draw.rectangle((400, 178, 540, 250), fill=LIGHT, outline=INK, width=3)
    draw.polygon([(385, 180), (470, 130), (555, 180)], fill=GREEN)
    draw.rectangle((455, 214, 485, 250), fill=INK)
    centered(draw, "CÔNG AN", 470, 196, font(22, bold=True))
    lines(draw, ["Công an xã,", "phường"], 475, 270, font(24, bold=True), gap=6)
    centered(draw, "Dùng đủ việc", 475, 326, font(24, bold=True), GREEN)
    return image


def qr_pay_steps() -> Image.Image:
    image, draw = canvas("Trả tiền bằng mã QR")
    fake_qr(draw, 36, 104, 126)
    centered(draw, "1. Quét mã", 100, 268, font(24, bold=True))
    arrow(draw, 178, 170, 222)
    screen = phone(draw, (228, 62, 412, 300))
    centered(draw, "Người nhận", 320, screen[1] + 26, font(22), MUTED)
    lines(draw, ["NGUYEN", "VAN AN"], 320, screen[1] + 64, font(26, bold=True), gap=6)
    centered(draw, "50.000 đ", 320, screen[1] + 150, font(26, bold=True), BLUE)
    centered(draw, "2. Đọc tên, số tiền", 320, 334, font(24, bold=True))
    arrow(draw, 418, 170, 462)
    pill(draw, (468, 140, 620, 196), "Xác nhận", GREEN)
    tick(draw, 544, 244)
    lines(draw, ["3. Đúng", "mới bấm"], 544, 294, font(24, bold=True), gap=6)
    return image


def check_name() -> Image.Image:
    image, draw = canvas("Đọc kỹ tên người nhận")
    screen = phone(draw, (30, 60, 262, 366))
    cx = (screen[0] + screen[2]) // 2
    centered(draw, "Chuyển tiền", cx, screen[1] + 20, font(22, bold=True), MUTED)
    draw.rounded_rectangle(
        (screen[0] + 8, screen[1] + 40, screen[2] - 8, screen[1] + 122),
        radius=10,
        fill=PALE_GREEN,
        outline=GREEN,
        width=3,
    )
    centered(draw, "Người nhận", cx, screen[1] + 62, font(22), MUTED)
    centered(draw, "LE THI LAN", cx, screen[1] + 98, font(24, bold=True))
    centered(draw, "Số tiền", cx, screen[1] + 146, font(22), MUTED)
    centered(draw, "200.000 đ", cx, screen[1] + 178, font(26, bold=True), BLUE)
    pill(draw, (screen[0] + 14, screen[3] - 50, screen[2] - 14, screen[3] - 8), "Xác nhận", GREEN)
    face = font(28, bold=True)
    draw.text((292, 92), "Đúng người?", font=face, fill=INK)
    draw.text((292, 142), "Đúng số tiền?", font=face, fill=INK)
    tick(draw, 318, 232, 24)
    draw.text((352, 232), "Đúng: bấm", font=font(26, bold=True), fill=GREEN, anchor="lm")
    cross(draw, 318, 294, 24)
    draw.text((352, 294), "Lạ: dừng lại", font=font(26, bold=True), fill=RED, anchor="lm")
    return image


def electric_bill() -> Image.Image:
    image, draw = canvas("Trả tiền điện an toàn")
    draw.rectangle((22, 72, 214, 300), fill=WHITE, outline=INK, width=3)
    lines(draw, ["HÓA ĐƠN", "TIỀN ĐIỆN"], 118, 98, font(22, bold=True), gap=6)
    centered(draw, "Mã khách hàng", 118, 166, font(22), MUTED)
    draw.rounded_rectangle((44, 186, 192, 218), radius=6, fill=YELLOW)
    for y in (246, 268, 290):
        draw.line((44, y, 192, y), fill=LIGHT, width=6)
    arrow(draw, 220, 186, 254)
    screen = phone(draw, (258, 72, 428, 300))
    lines(draw, ["Ứng dụng", "ngân hàng"], 343, screen[1] + 34, font(22, bold=True), BLUE)
    tick(draw, 343, screen[1] + 130)
    draw.rounded_rectangle((436, 90, 624, 236), radius=14, fill=PALE_RED, outline=RED, width=3)
    lines(draw, ["Gọi dọa", "cắt điện,", "gửi link"], 530, 122, font(24, bold=True), RED)
    cross(draw, 530, 278)
    centered(draw, "Tự trả trong ứng dụng của bác", 300, 342, font(24, bold=True))
    return image


def fake_app_link() -> Image.Image:
    image, draw = canvas("Không cài ứng dụng từ link")
    screen = phone(draw, (24, 60, 256, 362))
    cx = (screen[0] + screen[2]) // 2
    centered(draw, "Cuộc gọi đến", cx, screen[1] + 20, font(22), MUTED)
    lines(draw, ["“Công an”", "“Cán bộ xã”"], cx, screen[1] + 54, font(24, bold=True), gap=6)
    draw.rounded_rectangle(
        (screen[0] + 8, screen[1] + 112, screen[2] - 8, screen[1] + 196), radius=12, fill=PALE_RED
    )
    lines(draw, ["“Tải ứng dụng", "ở link này”"], cx, screen[1] + 138, font(22, bold=True), RED)
    cross(draw, cx, screen[3] - 34, 22)
    draw.text((282, 96), "Ứng dụng giả sẽ:", font=font(26, bold=True), fill=INK)
    for i, text in enumerate(("chiếm điện thoại", "lấy mật khẩu, OTP", "rút sạch tiền")):
        y = 160 + i * 48
        draw.ellipse((288, y - 8, 304, y + 8), fill=RED)
        draw.text((316, y), text, font=font(24), fill=INK, anchor="lm")
    draw.text((282, 304), "Tắt máy. Báo công an.", font=font(26, bold=True), fill=GREEN)
    return image


def scam_rules() -> Image.Image:
    image, draw = canvas("5 điều giữ mình")
    rules = (
        ("Không bấm link lạ", RED),
        ("Không cài ứng dụng từ link", RED),
        ("Không đọc OTP, mật khẩu", RED),
        ("Nghi ngờ: gọi lại số quen", GREEN),
        ("Giấy tờ: tự đến xã, phường", GREEN),
    )
    for i, (text, color) in enumerate(rules):
        y = 94 + i * 56
        draw.rounded_rectangle(
            (40, y - 24, 600, y + 24), radius=14, fill=WHITE, outline=color, width=3
        )
        if color == RED:
            cross(draw, 74, y, 18)
        else:
            tick(draw, 74, y, 18)
        draw.text((106, y), f"{i + 1}. {text}", font=font(26, bold=True), fill=INK, anchor="lm")
    return image


def vssid_three() -> Image.Image:
    image, draw = canvas("VssID: ba loại bảo hiểm")
    screen = phone(draw, (200, 58, 440, 366))
    tiles = (
        ("Bảo hiểm", "xã hội", BLUE),
        ("Bảo hiểm", "y tế", GREEN),
        ("Bảo hiểm", "thất nghiệp", YELLOW),
    )
    for i, (top, bottom, color) in enumerate(tiles):
        y0 = screen[1] + 8 + i * 82
        draw.rounded_rectangle((screen[0] + 10, y0, screen[2] - 10, y0 + 72), radius=12, fill=color)
        ink = INK if color == YELLOW else WHITE
        lines(draw, [top, bottom], 320, y0 + 22, font(24, bold=True), ink, gap=4)
    cross(draw, 100, 180)
    lines(draw, ["Không cài", "từ link"], 100, 232, font(24, bold=True), RED)
    tick(draw, 540, 180)
    lines(draw, ["Chỉ cài từ", "App Store,", "CH Play"], 540, 232, font(24, bold=True), GREEN)
    return image


def health_card() -> Image.Image:
    image, draw = canvas("Đi khám không cần thẻ giấy")
    screen = phone(draw, (12, 64, 186, 330))
    cx = (screen[0] + screen[2]) // 2
    draw.rounded_rectangle(
        (screen[0] + 8, screen[1] + 16, screen[2] - 8, screen[1] + 100), radius=10, fill=PALE_GREEN
    )
    lines(draw, ["Thẻ bảo", "hiểm y tế"], cx, screen[1] + 40, font(24, bold=True), GREEN, gap=4)
    fake_qr(draw, cx - 32, screen[1] + 118, 63, seed=3)
    centered(draw, "VNeID, VssID", cx, 352, font(22, bold=True))
    centered(draw, "hoặc", 230, 196, font(24, bold=True), MUTED)
    draw.rounded_rectangle((272, 140, 412, 226), radius=10, fill=LIGHT, outline=INK, width=3)
    draw.rounded_rectangle((286, 164, 322, 196), radius=4, fill=YELLOW)
    for y in (168, 186, 204):
        draw.line((336, y, 398, y), fill=MUTED, width=5)
    lines(draw, ["Căn cước", "gắn chip"], 342, 254, font(24, bold=True))
    arrow(draw, 420, 183, 470)
    draw.rounded_rectangle((478, 120, 626, 246), radius=14, fill=BLUE)
    lines(draw, ["Nhân viên", "quét mã"], 552, 164, font(24, bold=True), WHITE)
    tick(draw, 552, 298)
    return image


def dvc_login() -> Image.Image:
    image, draw = canvas("Đăng nhập dịch vụ công")
    draw.rounded_rectangle((30, 62, 610, 120), radius=12, fill=WHITE, outline=INK, width=3)
    draw.text((60, 91), "dichvucong.gov.vn", font=font(28, bold=True), fill=BLUE, anchor="lm")
    tick(draw, 570, 91, 20)
    steps = (
        ("1", "Bấm", "“Đăng nhập”"),
        ("2", "Chọn", "VNeID"),
        ("3", "Có mã:", "tự gõ"),
    )
    for i, (num, top, bottom) in enumerate(steps):
        x = 115 + i * 205
        draw.ellipse((x - 26, 146, x + 26, 198), fill=BLUE)
        centered(draw, num, x, 172, font(28, bold=True), WHITE)
        lines(draw, [top, bottom], x, 228, font(24, bold=True), gap=6)
        if i < 2:
            arrow(draw, x + 40, 172, x + 165)
    draw.rounded_rectangle((110, 292, 530, 346), radius=12, fill=PALE_RED, outline=RED, width=3)
    centered(draw, "Không đọc mã cho ai", 320, 319, font(26, bold=True), RED)
    return image


def health_book() -> Image.Image:
    image, draw = canvas("Sổ sức khỏe điện tử trên VNeID")
    screen = phone(draw, (30, 64, 210, 356))
    draw.rounded_rectangle(
        (screen[0] + 20, screen[1] + 24, screen[2] - 20, screen[1] + 164), radius=8, fill=GREEN
    )
    cx, cy = (screen[0] + screen[2]) // 2, screen[1] + 94
    draw.rectangle((cx - 9, cy - 30, cx + 9, cy + 30), fill=WHITE)
    draw.rectangle((cx - 30, cy - 9, cx + 30, cy + 9), fill=WHITE)
    lines(draw, ["Sổ sức", "khỏe"], cx, screen[1] + 196, font(24, bold=True), gap=4)
    entries = ("Họ tên, địa chỉ", "Bệnh đã mắc", "Các mũi tiêm", "Các lần đi khám")
    for i, text in enumerate(entries):
        y = 100 + i * 62
        draw.rounded_rectangle(
            (240, y - 25, 620, y + 25), radius=12, fill=WHITE, outline=GREEN, width=3
        )
        draw.text((262, y), text, font=font(26, bold=True), fill=INK, anchor="lm")
    return image


def market_qr() -> Image.Image:
    image, draw = canvas("Nhận tiền bằng mã QR")
    for i in range(6):
        color = RED if i % 2 == 0 else WHITE
        draw.rectangle((100 + i * 70, 64, 170 + i * 70, 100), fill=color, outline=RED, width=2)
    draw.rectangle((110, 100, 120, 300), fill=MUTED)
    draw.rectangle((520, 100, 530, 300), fill=MUTED)
    draw.rectangle((90, 250, 550, 304), fill="#C08A5B")
    fake_qr(draw, 268, 112, 105, seed=11)
    centered(draw, "Quét để trả tiền", 320, 278, font(24, bold=True), WHITE)
    lines(draw, ["Không", "thối tiền", "lẻ"], 192, 142, font(22, bold=True), GREEN)
    lines(draw, ["Không", "lo tiền", "giả"], 448, 142, font(22, bold=True), GREEN)
    centered(draw, "Mỗi sáng tự quét thử: đúng tên bác?", 320, 338, font(24, bold=True), BLUE)
    return image


def check_money() -> Image.Image:
    image, draw = canvas("Tiền đã về thật chưa?")
    left = phone(draw, (40, 62, 230, 318))
    lines(draw, ["Chuyển", "khoản", "thành công"], 135, left[1] + 34, font(22, bold=True), GREEN)
    centered(draw, "500.000 đ", 135, left[1] + 124, font(24, bold=True))
    cross(draw, 135, left[3] - 36)
    centered(draw, "Máy của khách", 135, 344, font(24, bold=True), RED)
    right = phone(draw, (410, 62, 600, 318))
    draw.rounded_rectangle(
        (right[0] + 6, right[1] + 16, right[2] - 6, right[1] + 112), radius=10, fill=PALE_GREEN
    )
    centered(draw, "Tiền vào", 505, right[1] + 44, font(24, bold=True), GREEN)
    centered(draw, "+500.000 đ", 505, right[1] + 84, font(24, bold=True), GREEN)
    tick(draw, 505, right[3] - 36)
    centered(draw, "Máy của bác", 505, 344, font(24, bold=True), GREEN)
    lines(draw, ["Chỉ tin", "máy bác"], 320, 140, font(24, bold=True), GREEN)
    arrow(draw, 252, 206, 392, GREEN)
    lines(draw, ["rồi mới", "giao hàng"], 320, 250, font(24, bold=True), GREEN)
    return image


def after_scam() -> Image.Image:
    image, draw = canvas("Lỡ bị lừa: làm ngay")
    steps = (
        ("Gọi ngân hàng khóa tài khoản", BLUE),
        ("Tắt nguồn điện thoại", BLUE),
        ("Báo công an xã, phường", BLUE),
    )
    for i, (text, color) in enumerate(steps):
        y = 100 + i * 64
        draw.rounded_rectangle(
            (30, y - 27, 610, y + 27), radius=14, fill=WHITE, outline=color, width=3
        )
        draw.ellipse((46, y - 20, 86, y + 20), fill=color)
        centered(draw, str(i + 1), 66, y, font(24, bold=True), WHITE)
        draw.text((104, y), text, font=font(26, bold=True), fill=INK, anchor="lm")
    y = 100 + 3 * 64 + 6
    draw.rounded_rectangle(
        (30, y - 27, 610, y + 27), radius=14, fill=PALE_RED, outline=RED, width=3
    )
    cross(draw, 66, y, 20)
    draw.text(
        (104, y), "Không nộp phí “lấy lại tiền”", font=font(26, bold=True), fill=RED, anchor="lm"
    )
    return image


PICTURES: dict[str, Callable[[], Image.Image]] = {
    "vneid-install": vneid_install,
    "vneid-levels": vneid_levels,
    "qr-pay-steps": qr_pay_steps,
    "check-name": check_name,
    "electric-bill": electric_bill,
    "fake-app-link": fake_app_link,
    "scam-rules": scam_rules,
    "vssid-three": vssid_three,
    "health-card": health_card,
    "dvc-login": dvc_login,
    "health-book": health_book,
    "market-qr": market_qr,
    "check-money": check_money,
    "after-scam": after_scam,
}


def save(name: str, image: Image.Image) -> Path:
    """Save as a small palette PNG and refuse anything over the size budget."""
    path = OUT_DIR / f"{name}.png"
    image.quantize(colors=48, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise SystemExit(f"{path.name} is {size} bytes, over the {MAX_BYTES} byte budget")
    return path


def main(argv: list[str]) -> int:
    names = argv or list(PICTURES)
    unknown = [name for name in names if name not in PICTURES]
    if unknown:
        print(f"unknown picture(s): {', '.join(unknown)}; known: {', '.join(PICTURES)}")
        return 2
    for name in names:
        _smallest.clear()
        picture = PICTURES[name]()
        if min(_smallest) < MIN_TEXT:
            print(f"{name}: text of {min(_smallest)} px; at least {MIN_TEXT} px (see docstring)")
            return 1
        path = save(name, picture)
        print(f"{path.name}: {path.stat().st_size} bytes, smallest text {min(_smallest)} px")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
