"""The scam checker with the shipped rules: a labelled set of messages, then each check."""

from __future__ import annotations

import ast
import shutil
import statistics
import time
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
    assert {"link-mixed_script", "link-lookalike"} <= rules(verdict)
    assert verdict.level == "high"
    assert verdict.official_links == ()


def test_greek_letter_in_a_domain() -> None:
    assert "link-mixed_script" in rules(check("http://bidv.cοm.vn"))  # Greek omicron


def test_punycode_domain() -> None:
    verdict = check("Xac thuc tai http://xn--vietcombnk-6qi.com ngay")
    assert "link-punycode" in rules(verdict)
    assert "link-lookalike" in rules(verdict)  # it decodes to "vietcombаnk"
    assert verdict.level == "high"


def test_lookalike_without_scheme() -> None:
    verdict = check("vietcombank-xacthuc.com")
    assert rules(verdict) == {"link-lookalike"}
    assert verdict.findings[0].detail == "vietcombank-xacthuc.com"
    assert verdict.level == "high"
    for text in (
        "dichvucong-gov.vn",
        "vneid.gov.vn.xacthuc.top",
        "https://vietcombank.com.vn@x.co",
    ):
        assert "link-lookalike" in rules(check(text)), text


def test_apk_download_and_apk_file_name() -> None:
    assert "link-apk" in rules(check("Tai tai http://example.com/app/vneid.apk"))
    assert "link-apk" in rules(check("cai file VNeID_2025.apk nhe"))
    assert check("http://example.com/dl/evn.apk").level == "high"


def test_shortener_is_medium() -> None:
    verdict = check("Xem chi tiet: bit.ly/3abcXYZ")
    assert rules(verdict) == {"link-shortener"}
    assert verdict.level == "medium"


def test_ip_address_host() -> None:
    verdict = check("http://103.77.166.25/login")
    assert rules(verdict) == {"link-ip_host"}
    assert verdict.level == "medium"


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


def test_negation_and_conditional_threats() -> None:
    assert "ask-otp" in rules(check("Anh doc ma OTP cho em voi"))
    assert "ask-otp" not in rules(check("Tuyet doi khong doc ma OTP cho ai"))
    assert "urgency" in rules(check("Neu khong xac thuc, tai khoan se bi khoa"))
    assert "urgency" in rules(check("Lam ngay khong thi bi khoa tai khoan"))


def test_each_phrase_rule_counts_once() -> None:
    verdict = check("Doc ma OTP. Doc lai ma OTP. Gui lai ma OTP cho em.")
    assert [f.rule for f in verdict.findings] == ["ask-otp"]
    assert verdict.score == 5


def test_police_warning_is_not_a_scam() -> None:
    text = (
        "Cong an xa canh bao thu doan: doi tuong gia danh cong an yeu cau doc ma OTP, "
        "chuyen tien vao tai khoan an toan. Ba con tuyet doi khong lam theo."
    )
    verdict = check(text)
    assert verdict.level == "low"
    assert verdict.findings == ()


def test_findings_are_bilingual() -> None:
    verdict = check("Toi la cong an, anh doc ma OTP va chuyen toan bo tien qua bit.ly/x")
    assert verdict.level == "high"
    for finding in verdict.findings:
        assert finding.reason("vi") == finding.reason_vi and finding.reason_vi
        assert finding.reason("en") == finding.reason_en and finding.reason_en
        assert 1 <= finding.weight <= 5
    weights = [f.weight for f in verdict.findings if not f.rule.startswith("link-")]
    assert weights == sorted(weights, reverse=True)


def test_advice_and_report_in_both_languages() -> None:
    for level in ("high", "medium", "low"):
        assert CHECKER.advice(level, "vi") != CHECKER.advice(level, "en")
    for lang in ("vi", "en"):
        assert "canhbao.khonggianmang.gov.vn" not in CHECKER.report(lang)  # never confirmed
    assert "công an xã, phường" in CHECKER.report("vi")


def test_empty_and_odd_input() -> None:
    assert check("") == Verdict("low", 0)
    assert check("   \n\n ").level == "low"
    assert check("😀🙏 ... ,,, ||").level == "low"


def test_fast_enough() -> None:
    texts = [m["text"] for m in MESSAGES]
    timings = []
    for _ in range(20):
        for text in texts:
            started = time.perf_counter()
            check(text)
            timings.append(time.perf_counter() - started)
    assert statistics.median(timings) < 0.005
    long_text = "vietcombank. a.b.c " * 500 + "x" * 5000
    started = time.perf_counter()
    check(long_text)
    assert time.perf_counter() - started < 0.1


def test_checker_is_pure() -> None:
    tree = ast.parse(Path(scamcheck.__file__).read_text(encoding="utf-8"))
    modules = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    allowed = {"__future__", "bisect", "contextlib", "re", "unicodedata", "dataclasses", "typing"}
    allowed |= {"bot.content.textfold", "bot.content.scam_rules"}
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


def test_weight_out_of_range_names_the_field(tmp_path: Path) -> None:
    path = _broken(tmp_path, "  - id: ask-otp\n    weight: 5", "  - id: ask-otp\n    weight: 9")
    [problem] = _problems(path)
    assert problem.file == SCAM_RULES_FILE
    assert problem.field == "phrases[0].weight"
    assert "5" in problem.reason


def test_bad_patterns_are_reported(tmp_path: Path) -> None:
    path = _broken(tmp_path, "      - 'vssid 4 0'", "      - 'VssID 4.0'\n      - '(unclosed'")
    problems = _problems(path)
    fields = {p.field for p in problems}
    assert any(f.startswith("phrases[") and ".patterns[" in f for f in fields), fields
    reasons = " ".join(p.reason for p in problems)
    assert "lower case" in reasons and "regular expression" in reasons


def test_duplicate_ids_unknown_fields_and_missing_parts(tmp_path: Path) -> None:
    path = _broken(tmp_path, "  - id: prize\n", "  - id: ask-otp\n")
    [problem] = _problems(path)
    assert (problem.field, problem.reason) == ("phrases", "id 'ask-otp' is listed twice")
    path = _broken(tmp_path, "  - id: prize\n", "  - id: prize\n    colour: red\n")
    [problem] = _problems(path)
    assert problem.field.endswith(".colour") and problem.reason == "unknown field"
    path.write_text("thresholds: {medium: 3, high: 2}\n", encoding="utf-8")
    problems = _problems(path)
    assert any(p.field == "official_domains" and "missing" in p.reason for p in problems)
    assert any(p.field == "thresholds" for p in problems)


def test_unreadable_files(tmp_path: Path) -> None:
    path = tmp_path / SCAM_RULES_FILE
    path.write_text("phrases: [\n", encoding="utf-8")
    assert "YAML" in _problems(path)[0].reason
    path.write_text("- a list\n", encoding="utf-8")
    assert _problems(path)[0].field == "(file)"
    assert _problems(tmp_path / "missing.yaml")[0].reason == "file does not exist"
