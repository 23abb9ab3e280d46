"""A project's timeline as `gtx show` and `gtx report` present it: where each history
entry came from in git, and the words for its signature (pure data, shared by the
service that reads git and the reporters that show it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Mark:
    """Where one history entry came from in git."""

    commit: str | None = None
    date: str | None = None  # the commit's date
    signer: str | None = None
    signature: str = "none"  # good | wrong_role | unlisted | unsigned | bad | uncommitted | none


SIGNATURE_LABELS = {
    "good": ("签名有效", "signed"),
    "wrong_role": ("签署人不属于该角色", "signer not of that role"),
    "unlisted": ("密钥未登记", "key not listed"),
    "unsigned": ("未签名", "unsigned"),
    "bad": ("签名无效", "bad signature"),
    "uncommitted": ("尚未提交", "not committed"),
    "none": ("（不在 git 中）", "(not in git)"),
}
