"""Msg, the one value type of a text in both languages (issue 15)."""

from __future__ import annotations

from golmud_cli.i18n import Msg, pick


def test_a_msg_reads_in_either_language() -> None:
    m = Msg("已中断。", "interrupted.")
    assert (m.text("zh"), m.text("en")) == ("已中断。", "interrupted.")
    assert pick("en", *m) == "interrupted." and pick("zh", *m) == "已中断。"


def test_a_msg_is_still_the_pair_it_replaces() -> None:
    zh, en = Msg("草稿", "draft")
    assert (zh, en) == ("草稿", "draft") and Msg("草稿", "draft")[1] == "draft"


def test_format_and_concatenation_keep_both_languages() -> None:
    m = Msg("第 {n} 项", "item {n}").format(n=3) + Msg("。", ".")
    assert m == Msg("第 3 项。", "item 3.")
