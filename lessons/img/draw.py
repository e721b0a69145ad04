"""Authoring tool: draws the lesson illustrations in this folder.

Not part of the bot. Every picture is a simple drawn diagram (no screenshots, no real
logos, no scannable codes), marked "Hình minh họa" (illustration), about 640x400 and
well under 60 KB so it loads on a small phone.

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


def font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    """Load DejaVu Sans, which covers every Vietnamese letter with its diacritics."""
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
    centered(draw, title, SIZE[0] // 2, 34, font(28, bold=True))
    mark = "Hình minh họa"
    small = font(13)
    width = int(draw.textlength(mark, font=small))
    draw.text((SIZE[0] - width - 12, SIZE[1] - 22), mark, font=small, fill=MUTED)
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


def pill(draw: Draw, box: Box, text: str, fill: str, color: str = WHITE, size: int = 18) -> None:
    """A rounded button with a label."""
    draw.rounded_rectangle(box, radius=12, fill=fill)
    centered(
        draw, text, (box[0] + box[2]) // 2, (box[1] + box[3]) // 2, font(size, bold=True), color
    )


# --- one function per picture -------------------------------------------------------


def vneid_install() -> Image.Image:
    image, draw = canvas("Cài VNeID ở đâu?")
    left = phone(draw, (110, 70, 260, 340))
    pill(draw, (left[0] + 12, left[1] + 40, left[2] - 12, left[1] + 85), "App Store", BLUE)
    pill(draw, (left[0] + 12, left[1] + 105, left[2] - 12, left[1] + 150), "CH Play", GREEN)
    tick(draw, 185, 283)
    right = phone(draw, (380, 70, 530, 340))
    draw.rounded_rectangle(
        (right[0] + 10, right[1] + 40, right[2] - 10, right[1] + 120), radius=12, fill=PALE_RED
    )
    lines(draw, ["Link lạ", "http://..."], 455, right[1] + 65, font(17, bold=True), RED)
    cross(draw, 455, 283)
    centered(draw, "Kho ứng dụng chính thức", 185, 362, font(17, bold=True), GREEN)
    centered(draw, "Link người khác gửi", 455, 362, font(17, bold=True), RED)
    return image


def vneid_levels() -> Image.Image:
    image, draw = canvas("Hai mức tài khoản VNeID")
    for x0, label, color in ((40, "Mức 1", BLUE), (340, "Mức 2", GREEN)):
        draw.rounded_rectangle(
            (x0, 70, x0 + 260, 350), radius=18, fill=WHITE, outline=color, width=4
        )
        pill(draw, (x0 + 70, 85, x0 + 190, 125), label, color, size=22)
    phone(draw, (125, 140, 215, 290))
    lines(draw, ["Tự đăng ký", "trên ứng dụng"], 170, 310, font(17, bold=True))
    draw.rectangle((415, 190, 525, 290), fill=LIGHT, outline=INK, width=3)
    draw.polygon([(400, 192), (470, 145), (540, 192)], fill=GREEN)
    draw.rectangle((455, 240, 485, 290), fill=INK)
    centered(draw, "CÔNG AN", 470, 215, font(15, bold=True))
    lines(draw, ["Đến cơ quan", "công an"], 470, 310, font(17, bold=True))
    return image


def qr_pay_steps() -> Image.Image:
    image, draw = canvas("Trả tiền bằng mã QR")
    fake_qr(draw, 50, 110, 126)
    centered(draw, "1. Quét mã", 113, 290, font(19, bold=True))
    arrow(draw, 190, 175, 245)
    screen = phone(draw, (255, 80, 385, 320))
    centered(draw, "Người nhận", 320, screen[1] + 35, font(13), MUTED)
    centered(draw, "TẠP HÓA AN", 320, screen[1] + 60, font(15, bold=True))
    centered(draw, "50.000 đ", 320, screen[1] + 100, font(18, bold=True), BLUE)
    centered(draw, "2. Đọc tên, số tiền", 320, 345, font(19, bold=True))
    arrow(draw, 395, 175, 450)
    pill(draw, (465, 150, 605, 200), "Xác nhận", GREEN)
    tick(draw, 535, 250)
    centered(draw, "3. Đúng mới bấm", 535, 300, font(19, bold=True))
    return image


def check_name() -> Image.Image:
    image, draw = canvas("Đọc kỹ tên người nhận")
    screen = phone(draw, (60, 65, 250, 360))
    centered(draw, "Chuyển tiền", 155, screen[1] + 22, font(16, bold=True), MUTED)
    draw.rounded_rectangle(
        (screen[0] + 8, screen[1] + 45, screen[2] - 8, screen[1] + 125),
        radius=10,
        fill=PALE_GREEN,
        outline=GREEN,
        width=3,
    )
    centered(draw, "Người nhận", 155, screen[1] + 65, font(13), MUTED)
    centered(draw, "LE THI LAN", 155, screen[1] + 98, font(16, bold=True))
    centered(draw, "Số tiền", 155, screen[1] + 150, font(13), MUTED)
    centered(draw, "200.000 đ", 155, screen[1] + 178, font(20, bold=True), BLUE)
    pill(draw, (screen[0] + 15, screen[3] - 50, screen[2] - 15, screen[3] - 12), "Xác nhận", GREEN)
    face = font(22, bold=True)
    draw.text((300, 110), "Đúng người?", font=face, fill=INK)
    draw.text((300, 160), "Đúng số tiền?", font=face, fill=INK)
    tick(draw, 330, 245, 24)
    draw.text((365, 232), "Đúng: bấm", font=font(20, bold=True), fill=GREEN)
    cross(draw, 330, 305, 24)
    draw.text((365, 292), "Lạ: dừng lại", font=font(20, bold=True), fill=RED)
    return image


def electric_bill() -> Image.Image:
    image, draw = canvas("Trả tiền điện an toàn")
    draw.rectangle((40, 80, 210, 300), fill=WHITE, outline=INK, width=3)
    centered(draw, "HÓA ĐƠN", 125, 105, font(16, bold=True))
    centered(draw, "TIỀN ĐIỆN", 125, 127, font(16, bold=True))
    centered(draw, "Mã khách hàng", 125, 170, font(14), MUTED)
    draw.rounded_rectangle((60, 185, 190, 215), radius=6, fill=YELLOW)
    for y in (245, 265, 285):
        draw.line((60, y, 190, y), fill=LIGHT, width=6)
    arrow(draw, 220, 190, 275)
    screen = phone(draw, (285, 80, 405, 310))
    lines(draw, ["Ứng dụng", "ngân hàng"], 345, screen[1] + 45, font(15, bold=True), BLUE)
    tick(draw, 345, screen[1] + 130)
    draw.rounded_rectangle((440, 110, 610, 230), radius=14, fill=PALE_RED, outline=RED, width=3)
    lines(
        draw,
        ["Gọi đòi tiền điện,", "gửi link cài", "app “EVN”"],
        525,
        140,
        font(15, bold=True),
        RED,
    )
    cross(draw, 525, 275)
    centered(draw, "Ngành điện không thu vào tài khoản cá nhân", 320, 362, font(18, bold=True))
    return image


def fake_app_link() -> Image.Image:
    image, draw = canvas("Không cài ứng dụng từ link")
    screen = phone(draw, (70, 65, 240, 355))
    centered(draw, "Cuộc gọi đến", 155, screen[1] + 25, font(14), MUTED)
    lines(
        draw,
        ["“Cán bộ xã”", "“Công an”", "“Bảo hiểm xã hội”"],
        155,
        screen[1] + 58,
        font(14, bold=True),
    )
    draw.rounded_rectangle(
        (screen[0] + 8, screen[1] + 118, screen[2] - 8, screen[1] + 188), radius=12, fill=PALE_RED
    )
    lines(
        draw,
        ["Cập nhật VNeID:", "tải app tại link"],
        155,
        screen[1] + 140,
        font(14, bold=True),
        RED,
    )
    cross(draw, 155, screen[3] - 30, 22)
    face = font(21, bold=True)
    draw.text((290, 110), "Ứng dụng giả sẽ:", font=face, fill=INK)
    for i, text in enumerate(("chiếm điện thoại", "lấy mật khẩu, OTP", "rút sạch tài khoản")):
        y = 165 + i * 50
        draw.ellipse((295, y - 8, 311, y + 8), fill=RED)
        draw.text((325, y), text, font=font(20), fill=INK, anchor="lm")
    draw.text((290, 320), "Tắt máy. Đến công an xã.", font=font(20, bold=True), fill=GREEN)
    return image


def scam_rules() -> Image.Image:
    image, draw = canvas("5 điều vàng chống lừa đảo")
    rules = (
        ("Không bấm link lạ", RED),
        ("Không cài ứng dụng từ link", RED),
        ("Không đọc OTP, mật khẩu", RED),
        ("Nghi ngờ: gọi lại số quen", GREEN),
        ("Giấy tờ: đến công an xã", GREEN),
    )
    for i, (text, color) in enumerate(rules):
        y = 98 + i * 56
        draw.rounded_rectangle(
            (70, y - 24, 570, y + 24), radius=14, fill=WHITE, outline=color, width=3
        )
        if color == RED:
            cross(draw, 105, y, 18)
        else:
            tick(draw, 105, y, 18)
        draw.text((140, y), f"{i + 1}. {text}", font=font(22, bold=True), fill=INK, anchor="lm")
    return image


def vssid_three() -> Image.Image:
    image, draw = canvas("VssID: ba loại bảo hiểm")
    screen = phone(draw, (210, 62, 430, 365))
    tiles = (
        ("Bảo hiểm", "xã hội", BLUE),
        ("Bảo hiểm", "y tế", GREEN),
        ("Bảo hiểm", "thất nghiệp", YELLOW),
    )
    for i, (top, bottom, color) in enumerate(tiles):
        y0 = screen[1] + 12 + i * 80
        draw.rounded_rectangle((screen[0] + 14, y0, screen[2] - 14, y0 + 66), radius=12, fill=color)
        ink = INK if color == YELLOW else WHITE
        lines(draw, [top, bottom], 320, y0 + 21, font(17, bold=True), ink, gap=4)
    tick(draw, 520, 200)
    lines(draw, ["Chỉ cài từ", "App Store", "CH Play"], 520, 250, font(16, bold=True), GREEN)
    cross(draw, 120, 200)
    lines(draw, ["Không cài", "từ link"], 120, 250, font(16, bold=True), RED)
    return image


def health_card() -> Image.Image:
    image, draw = canvas("Đi khám không cần thẻ giấy")
    screen = phone(draw, (40, 70, 190, 340))
    draw.rounded_rectangle(
        (screen[0] + 8, screen[1] + 30, screen[2] - 8, screen[1] + 120), radius=10, fill=PALE_GREEN
    )
    lines(draw, ["THẺ BẢO HIỂM", "Y TẾ"], 115, screen[1] + 52, font(13, bold=True), GREEN, gap=3)
    fake_qr(draw, 90, screen[1] + 135, 50, seed=3)
    lines(draw, ["VNeID", "VssID"], 115, 360, font(15, bold=True), gap=2)
    centered(draw, "hoặc", 240, 205, font(18, bold=True), MUTED)
    draw.rounded_rectangle((290, 150, 420, 235), radius=10, fill=LIGHT, outline=INK, width=3)
    draw.rounded_rectangle((305, 175, 340, 205), radius=4, fill=YELLOW)
    for y in (178, 198, 218):
        draw.line((355, y, 405, y), fill=MUTED, width=5)
    centered(draw, "Căn cước gắn chip", 355, 262, font(15, bold=True))
    arrow(draw, 435, 195, 490)
    draw.rounded_rectangle((500, 140, 610, 250), radius=14, fill=BLUE)
    lines(draw, ["Nhân viên", "quét mã"], 555, 180, font(16, bold=True), WHITE)
    tick(draw, 555, 300)
    return image


def dvc_login() -> Image.Image:
    image, draw = canvas("Đăng nhập dịch vụ công")
    draw.rounded_rectangle((40, 65, 600, 120), radius=12, fill=WHITE, outline=INK, width=3)
    draw.text((70, 92), "dichvucong.gov.vn", font=font(24, bold=True), fill=BLUE, anchor="lm")
    tick(draw, 560, 92, 20)
    steps = (
        ("1", "Bấm", "“Đăng nhập”"),
        ("2", "Tài khoản", "định danh (VNeID)"),
        ("3", "Tự nhập", "mã OTP"),
    )
    for i, (num, top, bottom) in enumerate(steps):
        x = 130 + i * 190
        draw.ellipse((x - 26, 150, x + 26, 202), fill=BLUE)
        centered(draw, num, x, 176, font(26, bold=True), WHITE)
        lines(draw, [top, bottom], x, 232, font(17, bold=True))
        if i < 2:
            arrow(draw, x + 45, 176, x + 140)
    draw.rounded_rectangle((150, 300, 490, 350), radius=12, fill=PALE_RED, outline=RED, width=3)
    centered(draw, "Không đọc OTP cho ai", 320, 325, font(20, bold=True), RED)
    return image


def health_book() -> Image.Image:
    image, draw = canvas("Sổ sức khỏe điện tử trên VNeID")
    screen = phone(draw, (60, 65, 230, 355))
    draw.rounded_rectangle(
        (screen[0] + 20, screen[1] + 30, screen[2] - 20, screen[1] + 170), radius=8, fill=GREEN
    )
    cx, cy = (screen[0] + screen[2]) // 2, screen[1] + 100
    draw.rectangle((cx - 9, cy - 30, cx + 9, cy + 30), fill=WHITE)
    draw.rectangle((cx - 30, cy - 9, cx + 30, cy + 9), fill=WHITE)
    centered(draw, "Sổ sức khỏe", cx, screen[1] + 200, font(15, bold=True))
    entries = ("Thông tin hành chính", "Tiền sử bệnh", "Tiêm chủng", "Các lần khám chữa bệnh")
    for i, text in enumerate(entries):
        y = 105 + i * 58
        draw.rounded_rectangle(
            (280, y - 22, 600, y + 22), radius=12, fill=WHITE, outline=GREEN, width=3
        )
        draw.text((300, y), text, font=font(20, bold=True), fill=INK, anchor="lm")
    return image


def market_qr() -> Image.Image:
    image, draw = canvas("Nhận tiền bằng mã QR")
    for i in range(6):
        color = RED if i % 2 == 0 else WHITE
        draw.rectangle((100 + i * 70, 70, 170 + i * 70, 110), fill=color, outline=RED, width=2)
    draw.rectangle((110, 110, 120, 330), fill=MUTED)
    draw.rectangle((520, 110, 530, 330), fill=MUTED)
    draw.rectangle((90, 260, 550, 330), fill="#C08A5B")
    fake_qr(draw, 262, 125, 105, seed=11)
    centered(draw, "Quét để trả tiền", 320, 245, font(18, bold=True))
    lines(draw, ["Không thối", "tiền lẻ"], 195, 180, font(17, bold=True), GREEN)
    lines(draw, ["Không lo", "tiền giả"], 445, 180, font(17, bold=True), GREEN)
    centered(draw, "Tiền vào thẳng tài khoản của bác", 320, 362, font(18, bold=True))
    return image


def check_money() -> Image.Image:
    image, draw = canvas("Tiền đã về thật chưa?")
    left = phone(draw, (70, 65, 230, 330))
    centered(draw, "Chuyển khoản", 150, left[1] + 50, font(15, bold=True), GREEN)
    centered(draw, "thành công", 150, left[1] + 72, font(15, bold=True), GREEN)
    centered(draw, "500.000 đ", 150, left[1] + 110, font(17, bold=True))
    cross(draw, 150, left[3] - 40)
    centered(draw, "Màn hình của khách", 150, 355, font(16, bold=True), RED)
    right = phone(draw, (410, 65, 570, 330))
    draw.rounded_rectangle(
        (right[0] + 6, right[1] + 20, right[2] - 6, right[1] + 110), radius=10, fill=PALE_GREEN
    )
    centered(draw, "Tiền vào", 490, right[1] + 45, font(15, bold=True), GREEN)
    centered(draw, "+500.000 đ", 490, right[1] + 80, font(17, bold=True), GREEN)
    tick(draw, 490, right[3] - 40)
    centered(draw, "Máy của bác báo", 490, 355, font(16, bold=True), GREEN)
    lines(draw, ["Chỉ tin", "máy của bác"], 320, 155, font(18, bold=True), GREEN)
    arrow(draw, 250, 205, 390, GREEN)
    lines(draw, ["rồi mới", "giao hàng"], 320, 235, font(18, bold=True), GREEN)
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
        path = save(name, PICTURES[name]())
        print(f"{path.name}: {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
