"""The scam checker with the shipped rules: the team's own labelled set (written together
with the first rules, so not a fair measure: tests/test_heldout.py has the honest figures),
then each check."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
import yaml

from bot.content import ContentError, Problem
from bot.content.scam_rules import SCAM_RULES_FILE, load_scam_rules
from bot.core import scamcheck
from bot.core.scamcheck import ScamChecker, Verdict
from bot.resources import data_dir

DATA = Path(__file__).parent / "data"
RULES_PATH = data_dir("lessons") / SCAM_RULES_FILE
RULES = load_scam_rules(RULES_PATH)
CHECKER = ScamChecker(RULES)
MESSAGES = yaml.safe_load((DATA / "check_messages.yaml").read_text(encoding="utf-8"))["messages"]


def check(text: str) -> Verdict:
    return CHECKER.check(text)


def rules(verdict: Verdict) -> set[str]:
    return {finding.rule for finding in verdict.findings}


def test_labelled_messages_are_told_apart() -> None:
    scams = [m for m in MESSAGES if m["scam"]]
    others = [m for m in MESSAGES if not m["scam"]]
    assert len(scams) >= 22 and len(others) >= 22
    missed = [m["note"] for m in scams if check(m["text"]).level == "low"]
    alarms = [m["note"] for m in others if check(m["text"]).level != "low"]
    caught = 1 - len(missed) / len(scams)
    false_alarms = len(alarms) / len(others)
    print(
        f"\nscams rated high or medium: {len(scams) - len(missed)}/{len(scams)} ({caught:.0%})"
        f"\nordinary messages rated high or medium: {len(alarms)}/{len(others)}"
        f" ({false_alarms:.0%})"
    )
    assert caught >= 0.9, missed
    assert false_alarms <= 0.1, alarms


def test_cyrillic_letter_in_a_bank_domain() -> None:
    verdict = check("Dang nhap tai https://vietсombank.com.vn/login")  # Cyrillic "с"
    assert {"mixed_script", "lookalike"} <= rules(verdict)
    assert verdict.level == "high"
    assert verdict.official_links == ()


def test_greek_letter_in_a_domain() -> None:
    assert "mixed_script" in rules(check("http://bidv.cοm.vn"))  # Greek omicron


def test_punycode_domain() -> None:
    verdict = check("Xac thuc tai http://xn--vietcombnk-6qi.com ngay")
    assert "punycode" in rules(verdict)
    assert "lookalike" in rules(verdict)  # it decodes to "vietcombаnk"
    assert verdict.level == "high"


def test_lookalike_without_scheme() -> None:
    verdict = check("vietcombank-xacthuc.com")
    assert "lookalike" in rules(verdict)
    assert verdict.findings[0].detail == "vietcombank-xacthuc.com"
    assert verdict.level == "high"
    assert "lookalike" in rules(check("https://vietcombank.com.vn@x.co"))
    for text in ("dichvucong-gov.vn", "vneid.gov.vn.xacthuc.top", "thue-hoantien.gov-vn.top"):
        assert "imitation" in rules(check(text)), text
        assert check(text).level == "high"


def test_apk_download_and_apk_file_name() -> None:
    assert "apk" in rules(check("Tai tai http://example.com/app/vneid.apk"))
    assert "apk" in rules(check("cai file VNeID_2025.apk nhe"))
    assert check("http://example.com/dl/evn.apk").level == "high"


def test_a_shortened_link_alone_is_medium_and_with_a_pretext_high() -> None:
    verdict = check("Xem chi tiet: bit.ly/3abcXYZ")
    assert "shortener" in rules(verdict)
    assert verdict.level == "medium"
    assert check("Ngan hang thong bao: xem chi tiet tai bit.ly/3abcXYZ").level == "high"


def test_ip_address_host() -> None:
    verdict = check("http://103.77.166.25/login")
    assert "ip" in rules(verdict)
    assert verdict.level == "high"


@pytest.mark.parametrize(
    "text",
    [
        "https://canhbao.khonggianmang.gov.vn/bao-cao",
        "https://dichvucong.gov.vn/p/home/dvc-trang-chu.html",
        "vneid.gov.vn",
        "https://www.vietcombank.com.vn/vi-VN/KHCN",
        "ebank.msb.com.vn",
        "https://play.google.com/store/apps/details?id=x",
    ],
)
def test_official_sites_and_subdomains_are_not_flagged(text: str) -> None:
    verdict = check(text)
    assert verdict.findings == () and verdict.level == "low"
    assert len(verdict.official_links) == 1


def test_is_official_needs_a_real_suffix() -> None:
    assert CHECKER.is_official("baohiemxahoi.gov.vn")
    assert CHECKER.is_official("CSKH.EVN.COM.VN")
    assert not CHECKER.is_official("gov.vn.xacthuc.top")
    assert not CHECKER.is_official("fakegov.vn")
    assert not CHECKER.is_official("vietcombank.com.vn.online-xacthuc.com")


def test_plain_text_with_dots_has_no_links() -> None:
    verdict = check("Hop o TP.HCM ngay 10.10, mang 5.000.000d va ban v.v.")
    assert verdict.findings == () and verdict.level == "low"


def test_negation_done_and_conditional_threats() -> None:
    assert "credential" in check("Anh doc ma OTP cho em voi").asks
    assert "credential" not in check("Tuyet doi khong doc ma OTP cho ai").asks
    assert "money" in check("Me chuyen giup con 5 trieu nhe").asks
    assert "money" not in check("Con vua chuyen 5 trieu cho me roi nhe").asks
    assert "money" not in check("Chi chuyen vao so tai khoan cu cua em roi do").asks
    threat = check("Ngan hang: neu khong xac thuc, tai khoan se bi khoa")
    assert "threat" in threat.pressure
    assert "threat" in check("Lam ngay khong thi bi khoa tai khoan").pressure


def test_each_sign_counts_once() -> None:
    verdict = check("Doc ma OTP. Doc lai ma OTP. Gui lai ma OTP cho em.")
    assert [f.rule for f in verdict.findings].count("read-code") == 1
    assert verdict.level == "high"


@pytest.mark.parametrize(
    ("text", "asks", "pretexts"),
    [
        ("Mẹ ơi con đổi số mới, chuyển gấp cho con 8 triệu vào tài khoản bạn con",
         {"money"}, {"relative"}),
        ("Em chuyển nhầm 830k vào tài khoản chị, chị chuyển lại giúp em nhé",
         {"money"}, {"wrong-transfer"}),
        ("Đọc giúp em mã xác nhận 6 số vừa gửi về máy chị", {"credential"}, set()),
        ("Chị đọc giúp em 16 số trên thẻ và ngày hết hạn", {"credential"}, set()),
        ("Nộp phí hồ sơ 2 triệu trước để được giải ngân khoản vay", {"fee"}, {"loan"}),
        ("Ngân hàng thông báo: anh kết bạn Zalo em để em hướng dẫn", {"move"}, {"bank"}),
        ("Bấm phím 9 để gặp điều tra viên", {"call"}, {"authority"}),
    ],
)  # fmt: skip
def test_what_a_message_asks_and_pretends(text: str, asks: set[str], pretexts: set[str]) -> None:
    verdict = check(text)
    assert asks <= set(verdict.asks), verdict
    assert pretexts <= set(verdict.pretexts), verdict
    assert verdict.level in ("high", "medium")


def test_levels_follow_what_is_asked() -> None:
    assert check("Đọc giúp em mã OTP").level == "high"  # a credential ask alone
    assert check("Cài ứng dụng theo đường link em gửi qua Zalo").level == "high"
    assert check("Bác chuyển khoản cho em 500k tiền hàng nhé").level == "low"  # no pretext
    medium = check("Công an xã: bác chuyển 500k tiền phạt cho em")
    assert medium.level in ("medium", "high")
    assert check("Công an xã: bác chuyển gấp 5 triệu tiền phạt cho em kẻo bị bắt").level == "high"


def test_a_dial_code_is_a_credential_ask() -> None:
    verdict = check("Chi bam giup em **21*0129777889# roi nhan goi nha")
    assert "dial-code" in rules(verdict) and verdict.level == "high"


def test_police_warning_is_not_a_scam() -> None:
    text = (
        "Cong an xa canh bao thu doan: doi tuong gia danh cong an yeu cau doc ma OTP, "
        "chuyen tien vao tai khoan an toan. Ba con tuyet doi khong lam theo."
    )
    verdict = check(text)
    assert verdict.level == "low"
    assert verdict.findings == ()


def test_findings_are_bilingual_and_name_their_kind() -> None:
    verdict = check("Toi la cong an, anh doc ma OTP va chuyen toan bo tien qua bit.ly/x")
    assert verdict.level == "high"
    for finding in verdict.findings:
        assert finding.reason("vi") == finding.reason_vi and finding.reason_vi
        assert finding.reason("en") == finding.reason_en and finding.reason_en
    kinds = [finding.kind for finding in verdict.findings]
    assert kinds == sorted(kinds, key=["link", "ask", "pretext", "pressure"].index)


def test_low_never_comes_with_a_reason() -> None:
    for text in ("Chiều nay họp thôn lúc 14h", "Con gửi mẹ 500k tiền chợ nhé", "cong an"):
        verdict = check(text)
        assert verdict.level == "low" and verdict.findings == ()


def test_advice_and_report_in_both_languages() -> None:
    for level in ("high", "medium", "low"):
        assert CHECKER.advice(level, "vi") != CHECKER.advice(level, "en")
    assert "không chuyển tiền" in CHECKER.always("vi")
    for lang in ("vi", "en"):
        assert "canhbao.khonggianmang.gov.vn" not in CHECKER.report(lang)  # never confirmed
    assert "công an xã, phường" in CHECKER.report("vi")


def test_empty_and_odd_input() -> None:
    assert check("") == Verdict("low")
    assert check("   \n\n ").level == "low"
    assert check("😀🙏 ... ,,, ||").level == "low"


def test_a_very_long_message_is_checked() -> None:
    verdict = check("vietcombank. a.b.c " * 500 + "x" * 5000)
    assert verdict.level in ("low", "medium", "high")


def test_checker_is_pure() -> None:
    tree = ast.parse(Path(scamcheck.__file__).read_text(encoding="utf-8"))
    modules = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    allowed = {"__future__", "bisect", "contextlib", "re", "unicodedata", "dataclasses", "typing"}
    allowed |= {"bot.content.textfold", "bot.content.scam_rules", "bot.content.schema"}
    assert modules <= allowed, modules - allowed


# --- the rules file ------------------------------------------------------------------


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / SCAM_RULES_FILE
    shutil.copy(RULES_PATH, path)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _problems(path: Path) -> list[Problem]:
    with pytest.raises(ContentError) as caught:
        load_scam_rules(path)
    return caught.value.problems


def test_an_unknown_ask_group_names_the_field(tmp_path: Path) -> None:
    path = _broken(
        tmp_path, "  - id: read-code\n    group: credential", "  - id: read-code\n    group: gold"
    )
    [problem] = _problems(path)
    assert problem.file == SCAM_RULES_FILE
    assert problem.field == "asks[0].group"
    assert "credential" in problem.reason


def test_bad_patterns_are_reported(tmp_path: Path) -> None:
    path = _broken(
        tmp_path, "      - 'ket ban|", "      - 'VssID 4.0'\n      - '(unclosed'\n      - 'ket ban|"
    )
    problems = _problems(path)
    fields = {p.field for p in problems}
    assert any(f.startswith("asks[") and ".patterns[" in f for f in fields), fields
    reasons = " ".join(p.reason for p in problems)
    assert "lower case" in reasons and "regular expression" in reasons


def test_duplicate_ids_unknown_fields_and_missing_parts(tmp_path: Path) -> None:
    path = _broken(tmp_path, "  - id: prize\n", "  - id: bank\n")
    [problem] = _problems(path)
    assert (problem.field, problem.reason) == ("pretexts", "id 'bank' is listed twice")
    path = _broken(tmp_path, "  - id: prize\n", "  - id: prize\n    colour: red\n")
    [problem] = _problems(path)
    assert problem.field.endswith(".colour") and problem.reason == "unknown field"
    path.write_text("thresholds: {medium: 3, high: 2}\n", encoding="utf-8")
    problems = _problems(path)
    assert any(p.field == "official_domains" and "missing" in p.reason for p in problems)
    assert any(p.field == "thresholds" and p.reason == "unknown field" for p in problems)


def test_unreadable_files(tmp_path: Path) -> None:
    path = tmp_path / SCAM_RULES_FILE
    path.write_text("asks: [\n", encoding="utf-8")
    assert "YAML" in _problems(path)[0].reason
    path.write_text("- a list\n", encoding="utf-8")
    assert _problems(path)[0].field == "(file)"
    assert _problems(tmp_path / "missing.yaml")[0].reason == "file does not exist"
