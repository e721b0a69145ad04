"""Authoring tool: draws the pictures of the 2026 lessons (issue 13).

Same rules as draw.py (drawn diagrams, no screenshots, no real logos, no scannable codes,
marked "Hình minh họa", under 60 KB), plus one: every word is at least 22 px high. A chat
shows a 640 px picture about 340 px wide on a 360 px phone, so 22 px text stays about 12 px
on screen, the smallest an older reader can manage. Fewer words, bigger letters.

It reuses draw.py's shapes and colours. Run it the same way::

    /tmp/imgenv/bin/python lessons/img/draw_new.py            # all new pictures
    /tmp/imgenv/bin/python lessons/img/draw_new.py qr-swap    # one picture
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import draw
from draw import (
    BG,
    BLUE,
    GREEN,
    INK,
    LIGHT,
    MUTED,
    PALE_GREEN,
    PALE_RED,
    RED,
    SIZE,
    WHITE,
    YELLOW,
    Box,
    Draw,
    arrow,
    cross,
    fake_qr,
    phone,
    tick,
)
from PIL import Image, ImageDraw

MIN_FONT = 22
WIDTH, HEIGHT = SIZE


def say(
    draw_: Draw,
    text: str,
    xy: tuple[int, int],
    size: int,
    *,
    fill: str = INK,
    bold: bool = True,
    anchor: str = "mm",
    max_width: int = WIDTH - 20,
) -> None:
    """Write one line; refuse text smaller than MIN_FONT or wider than it may be."""
    if size < MIN_FONT:
        raise SystemExit(f"{text!r}: {size} px is below the {MIN_FONT} px minimum")
    face = draw.font(size, bold=bold)
    width = draw_.textlength(text, font=face)
    if width > max_width:
        raise SystemExit(f"{text!r} is {width:.0f} px wide, more than {max_width} px")
    draw_.text(xy, text, font=face, fill=fill, anchor=anchor)


def canvas(title: str) -> tuple[Image.Image, Draw]:
    """A blank picture with a big title and a readable illustration mark."""
    image = Image.new("RGB", SIZE, BG)
    draw_ = ImageDraw.Draw(image)
    say(draw_, title, (WIDTH // 2, 32), 30)
    say(draw_, "Hình minh họa", (WIDTH - 12, HEIGHT - 8), 22, fill=MUTED, bold=False, anchor="rd")
    return image, draw_


def badge(draw_: Draw, cx: int, cy: int, number: str, color: str = BLUE, r: int = 24) -> None:
    draw_.ellipse((cx - r, cy - r, cx + r, cy + r), fill=color)
    say(draw_, number, (cx, cy), 28, fill=WHITE)


def address_bar(draw_: Draw, box: Box, address: str, official: str = ".gov.vn") -> None:
    """A browser address bar; the official ending is shown in green."""
    draw_.rounded_rectangle(box, radius=14, fill=WHITE, outline=INK, width=3)
    x0, y0, x1, y1 = box
    cy = (y0 + y1) // 2
    head = address.removesuffix(official)
    face = draw.font(28, bold=True)
    start = x0 + 24
    say(draw_, head, (start, cy), 28, fill=BLUE, anchor="lm")
    say(
        draw_,
        official,
        (start + int(draw_.textlength(head, font=face)), cy),
        28,
        fill=GREEN,
        anchor="lm",
    )
    tick(draw_, x1 - 34, cy, 20)


def microphone(draw_: Draw, cx: int, cy: int, color: str = WHITE) -> None:
    """A simple microphone: capsule, cradle and stand."""
    draw_.rounded_rectangle((cx - 9, cy - 22, cx + 9, cy + 6), radius=9, fill=color)
    draw_.arc((cx - 16, cy - 12, cx + 16, cy + 16), start=0, end=180, fill=color, width=4)
    draw_.line((cx, cy + 16, cx, cy + 24), fill=color, width=4)
    draw_.line((cx - 9, cy + 24, cx + 9, cy + 24), fill=color, width=4)


# --- one function per picture -------------------------------------------------------


def voice_typing() -> Image.Image:
    image, draw_ = canvas("Nói thay cho gõ chữ")
    screen = phone(draw_, (40, 62, 260, 392))
    draw_.rounded_rectangle(
        (screen[0] + 10, screen[1] + 14, screen[2] - 10, screen[1] + 78),
        radius=12,
        fill=PALE_GREEN,
    )
    say(draw_, "Con ơi, mẹ", (screen[0] + 22, screen[1] + 34), 22, anchor="lm")
    say(draw_, "về tới nhà", (screen[0] + 22, screen[1] + 60), 22, anchor="lm")
    top = screen[1] + 110
    for row in range(3):
        for col in range(6):
            x = screen[0] + 10 + col * 31
            y = top + row * 34
            draw_.rounded_rectangle((x, y, x + 25, y + 26), radius=5, fill=LIGHT)
    cx, cy = (screen[0] + screen[2]) // 2, screen[3] - 34
    draw_.ellipse((cx - 30, cy - 30, cx + 30, cy + 30), fill=BLUE)
    microphone(draw_, cx, cy)
    steps = (("1", "Bấm nút micro"), ("2", "Nói chậm, rõ"), ("3", "Đọc lại rồi gửi"))
    for i, (number, text) in enumerate(steps):
        y = 120 + i * 80
        badge(draw_, 350, y, number)
        say(draw_, text, (388, y), 28, anchor="lm", max_width=240)
    return image


def platform_steps() -> Image.Image:
    image, draw_ = canvas("Học kỹ năng số của Nhà nước")
    address_bar(draw_, (30, 64, 610, 124), "binhdanhocvuso.gov.vn")
    steps = (
        ("1", ("Mở đúng", "trang .gov.vn")),
        ("2", ("Đăng nhập", "bằng VNeID")),
        ("3", ("Học đúng", "thứ tự")),
    )
    for i, (number, (top, bottom)) in enumerate(steps):
        x = 115 + i * 205
        badge(draw_, x, 176, number)
        say(draw_, top, (x, 228), 24, max_width=196)
        say(draw_, bottom, (x, 258), 24, max_width=196)
        if i < 2:
            arrow(draw_, x + 36, 176, x + 168)
    draw_.rounded_rectangle((60, 296, 580, 350), radius=14, fill=PALE_RED, outline=RED, width=3)
    say(draw_, "Không đưa mật khẩu cho ai học hộ", (320, 323), 24, fill=RED, max_width=500)
    return image


def bank_checklist() -> Image.Image:
    image, draw_ = canvas("Ứng dụng ngân hàng cần:")
    rows = (
        "Đã đăng ký khuôn mặt",
        "Căn cước còn hạn",
        "Máy không bị bẻ khóa",
        "Cài từ CH Play, App Store",
    )
    for i, text in enumerate(rows):
        y = 100 + i * 74
        draw_.rounded_rectangle(
            (50, y - 29, 590, y + 29), radius=14, fill=WHITE, outline=GREEN, width=3
        )
        tick(draw_, 88, y, 20)
        say(draw_, text, (124, y), 28, anchor="lm", max_width=450)
    return image


def hacked_friend() -> Image.Image:
    image, draw_ = canvas("Người quen nhắn vay tiền?")
    screen = phone(draw_, (30, 62, 250, 392))
    say(draw_, "Chị Hai (Zalo)", ((screen[0] + screen[2]) // 2, screen[1] + 22), 22, fill=MUTED)
    draw_.rounded_rectangle(
        (screen[0] + 10, screen[1] + 44, screen[2] - 10, screen[1] + 156),
        radius=14,
        fill=PALE_RED,
    )
    for i, text in enumerate(("Cho chị mượn", "10 triệu,", "chiều trả")):
        say(draw_, text, (screen[0] + 20, screen[1] + 70 + i * 32), 22, anchor="lm", max_width=170)
    cross(draw_, (screen[0] + screen[2]) // 2, screen[3] - 44, 26)
    rows = (
        (tick, GREEN, "Gọi vào số quen"),
        (cross, RED, "Không chuyển tiền"),
        (cross, RED, "Không hỏi lại"),
    )
    for i, (mark, color, text) in enumerate(rows):
        y = 120 + i * 76
        mark(draw_, 300, y, 22)
        say(draw_, text, (332, y), 26, fill=color, anchor="lm", max_width=296)
    say(draw_, "qua Zalo", (332, 310), 26, fill=RED, anchor="lm", max_width=296)
    return image


def feedback_steps() -> Image.Image:
    image, draw_ = canvas("Gửi phản ánh qua mạng")
    address_bar(draw_, (30, 64, 610, 124), "dichvucong.gov.vn")
    steps = (
        "Chọn Phản ánh, kiến nghị",
        "Viết: việc gì, ở đâu, ngày nào",
        "Ghi lại mã phản ánh",
    )
    for i, text in enumerate(steps):
        y = 168 + i * 70
        badge(draw_, 70, y, str(i + 1))
        say(draw_, text, (110, y), 28, anchor="lm", max_width=500)
    return image


def qr_swap() -> Image.Image:
    image, draw_ = canvas("Mã QR ở quầy còn đúng không?")
    draw_.rectangle((30, 62, 290, 296), fill=YELLOW)
    fake_qr(draw_, 56, 86, 168, seed=11)
    sticker = Image.new("RGBA", (140, 140), (0, 0, 0, 0))
    sticker_draw = ImageDraw.Draw(sticker)
    sticker_draw.rectangle((0, 0, 139, 139), fill=WHITE, outline=RED, width=6)
    fake_qr(sticker_draw, 14, 14, 105, seed=29)
    sticker = sticker.rotate(-12, expand=True, fillcolor=(0, 0, 0, 0))
    image.paste(sticker, (150, 128), sticker)
    draw_ = ImageDraw.Draw(image)
    say(draw_, "Kẻ gian dán đè", (160, 326), 26, fill=RED, max_width=280)
    screen = phone(draw_, (380, 62, 600, 296))
    mid = (screen[0] + screen[2]) // 2
    say(draw_, "Người nhận", (mid, screen[1] + 30), 22, fill=MUTED)
    say(draw_, "LE VAN AN", (mid, screen[1] + 66), 28, max_width=190)
    tick(draw_, mid, screen[1] + 130, 28)
    say(draw_, "Đúng tên mình", (490, 326), 26, fill=GREEN, max_width=250)
    say(draw_, "Mỗi sáng bác tự quét thử", (24, 364), 26, anchor="lm", max_width=420)
    return image


PICTURES: dict[str, Callable[[], Image.Image]] = {
    "voice-typing": voice_typing,
    "platform-steps": platform_steps,
    "bank-checklist": bank_checklist,
    "hacked-friend": hacked_friend,
    "feedback-steps": feedback_steps,
    "qr-swap": qr_swap,
}


def main(argv: list[str]) -> int:
    names = argv or list(PICTURES)
    unknown = [name for name in names if name not in PICTURES]
    if unknown:
        print(f"unknown picture(s): {', '.join(unknown)}; known: {', '.join(PICTURES)}")
        return 2
    for name in names:
        path = draw.save(name, PICTURES[name]())
        print(f"{path.name}: {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
