"""Shared git + SSH-key fixtures: isolated git, real keys, signed-commit-ready repos.

Use from a test module:

    from tests.gitfixtures import git_env_fixture, keys_fixture, make_repo  # noqa: F401

  (importing the two fixture functions registers the fixtures `git_env` and `keys`)

- `git_env` (fixture): HOME, GIT_CONFIG_GLOBAL (a temp file), GIT_CONFIG_NOSYSTEM=1
  and a pinned identity, so neither the machine's git config nor its keys leak in.
- `keys` (session fixture): real ed25519 key pairs made once with ssh-keygen:
  unit, other_unit, ndrc, gov_office, finance, stranger.
- `make_repo(path, keys)`: a dossier repository on branch `main` with gtx.yaml listing
  the keys for their roles, one draft dossier (UNIT's), its first attachments, one
  unsigned initial commit, and SSH signing configured (`use_key` picks the key).
- `Life`: the whole life of that dossier from draft to post_evaluated: for each
  step, the documents a clerk records first, the date, the refs and the key to sign;
  `add_documents` records them (and creates their attachments) as a clerk would.
- `commit(repo, msg, *paths, key=None)`: a commit, SSH-signed with `key` or unsigned.
- `pgp_key` (fixture, import `pgp_key_fixture`): an OpenPGP key in a private
  GNUPGHOME, its gpg-agent stopped afterwards; skipped when gpg is missing.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT = "2023-employment-service-platform"
UNIT = "格尔木市人力资源和社会保障局"
OTHER_UNIT = "格尔木市教育局"
AS_OF = "2026-11-30"  # every date of Life is on or before it


@dataclass(frozen=True)
class Key:
    name: str
    private: Path
    public: Path
    line: str  # the whole .pub line: "ssh-ed25519 AAAA... comment"


def make_key(folder: Path, name: str) -> Key:
    folder.mkdir(parents=True, exist_ok=True)
    private = folder / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"{name}@gtx-test", "-f", str(private)],
        check=True, capture_output=True,
    )
    public = private.with_name(name + ".pub")
    return Key(name, private, public, public.read_text().strip())


def isolate(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    cfg = home / "gitconfig"
    cfg.write_text("[user]\n\tname = gtx test\n\temail = test@gtx.invalid\n"
                   "[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n")
    for var in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE",
                "GTX_LANG", "SSH_AUTH_SOCK"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(cfg))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "gtx test")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "test@gtx.invalid")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "gtx test")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "test@gtx.invalid")


@pytest.fixture(name="git_env")
def git_env_fixture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An isolated git for this test; yields the fake HOME."""
    home = tmp_path / "home"
    isolate(monkeypatch, home)
    yield home


@pytest.fixture(name="keys", scope="session")
def keys_fixture(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Key]:
    folder = tmp_path_factory.mktemp("keys")
    return {n: make_key(folder, n) for n in ("unit", "other_unit", "ndrc", "gov_office", "finance", "stranger")}


def git(repo: Path, *args: str, check: bool = True, input: str | None = None) -> str:
    proc = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, input=input,
                          check=False)
    if check and proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {proc.stderr}")
    return proc.stdout.strip()


def use_key(repo: Path, key: Key) -> None:
    git(repo, "config", "gpg.format", "ssh")
    git(repo, "config", "user.signingkey", str(key.public))


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD")


def status(repo: Path) -> str:
    return git(repo, "status", "--porcelain=v1", "--untracked-files=all")


def commit(repo: Path, message: str, *paths: str, key: Key | None = None) -> str:
    """Commit `paths` (all when none); signed with `key` when given, else unsigned."""
    git(repo, "add", "-A", "--", *(paths or (".",)))
    sign = ["-c", f"user.signingkey={key.public}", "-c", "gpg.format=ssh", "commit", "-S"] if key else [
        "-c", "commit.gpgsign=false", "commit"]
    git(repo, *sign, "-q", "-m", message)
    return head(repo)


# --- a dossier repository ----------------------------------------------------------------


def settings_yaml(keys: dict[str, Key], extra_unit_keys: dict[str, list[Key]] | None = None) -> str:
    def signers(ks: list[Key], indent: int) -> str:
        pad = " " * indent
        if not ks:
            return " []\n"
        return "\n" + "".join(f"{pad}- name: {k.name}\n{pad}  key: \"{k.line}\"\n" for k in ks)

    units = {UNIT: [keys["unit"]], OTHER_UNIT: [keys["other_unit"]]}
    for u, ks in (extra_unit_keys or {}).items():
        units.setdefault(u, []).extend(ks)
    text = "# gtx 仓库设置（测试）\ncity: 格尔木市\nroles:\n"
    for role in ("ndrc", "gov_office", "finance"):
        text += f"  {role}:\n    name: {role}\n    signers:{signers([keys[role]], 6)}"
    text += "units:\n"
    for u, ks in units.items():
        text += f"  {u}:\n    signers:{signers(ks, 6)}"
    return text


DRAFT = f"""\
# yaml-language-server: $schema=../../schema/dossier.schema.json
# 测试用档案：按办法走完全流程。
schema_version: 1                             # 模型版本
id: {PROJECT}
name: 格尔木市就业创业公共服务平台            # 项目名称
unit: {UNIT}            # 建设单位（申请单位）
contact:                                      # 项目联系人
  name: 朱永红
  phone: "0979-8421170"                       # 联系电话（字符串，保留区号前导零）
budget_wan: 395                               # 项目预算（万元）
funding_source: municipal                     # 市级财政资金
schedule:                                     # 计划建设时间
  start: 2023-11-20                           # 开工时间
  duration_months: 5                          # 建设时间：预计工期（月）
basis: 《格尔木市数字政府建设规划（2023—2025年）》 # 项目建设依据
mlps:                                         # 等级保护备案
  level: 2                                    # 等保二级
systems:                                      # 应用系统
  count: 2
  type: custom
data_resources:
  needed: true
  catalog_written: true
operating_cost_wan: 20                        # 运营费用（万元/年）
cloud:
  deployed: true
  operator: 格尔木市电子政务云运维中心
network: e_gov_extranet                       # 电子政务外网

approval_path: planned                        # 已纳入规划，直接编报可研
in_plan: true
new_department: false
simple_and_mature: false

documents:                                    # 项目文件（键为文件类别）
  feasibility_study:                          # 可行性研究报告
    file: attachments/feasibility-study.pdf
    date: 2023-07-06
    prepared_by: 青海昆仑数智工程咨询有限公司
    credential: '工程咨询单位乙级资信'          # 资信（单引号保留）
    sharing_analysis: true
    platform_docking: true
  preliminary_design:
    file: attachments/preliminary-design.pdf
    date: 2023-07-14
    prepared_by: 青海昆仑信通工程设计有限公司
    qualification: 工程设计电子通信广电行业专业乙级
    sharing_analysis: true
  investment_estimate:
    file: attachments/investment-estimate.xlsx
    date: 2023-07-14
    prepared_by: 青海昆仑信通工程设计有限公司
    qualification: 工程设计电子通信广电行业专业乙级
    amount_wan: 395
  resource_catalog:
    file: attachments/resource-catalog.xlsx
    date: 2023-07-06

stage: draft                                  # 草拟
history: []                                   # 流转记录（只追加）

extensions: []                                # 延期验收，三（六）
rectifications: []                            # 整改，三（五）
"""

# Document records a clerk adds before a step: kind -> the YAML lines under it.
DOCS: dict[str, str] = {
    "approval_reply": "    file: attachments/approval-reply.pdf\n    date: 2023-08-30\n"
                      "    number: 格发改〔2023〕52号\n    sharing_opinion: true\n",
    "filing_form": "    file: attachments/filing-form.pdf\n    date: 2023-09-12\n",
    "budget_application": "    file: attachments/budget-application.pdf\n    date: 2023-09-20\n",
    "procurement_filing": "    file: attachments/procurement-filing.pdf\n    date: 2023-10-09\n"
                          "    method: competitive_consultation\n",
    "contract": "    file: attachments/contract.pdf\n    date: 2023-11-14\n"
                "    vendor: 格尔木盐湖云信息技术有限公司\n    amount_wan: 381.2\n",
    "preliminary_acceptance_report": "    file: attachments/preliminary-acceptance-report.pdf\n"
                                     "    date: 2024-07-15\n",
    "construction_summary": "    file: attachments/construction-summary.pdf\n    date: 2024-07-22\n",
    "financial_report": "    file: attachments/financial-report.pdf\n    date: 2024-07-26\n",
    "audit_report": "    file: attachments/audit-report.pdf\n    date: 2024-07-31\n",
    "security_risk_assessment": "    file: attachments/security-risk-assessment.pdf\n    date: 2024-07-24\n",
    "acceptance_report": "    file: attachments/acceptance-report.pdf\n    date: 2024-09-20\n",
    # 三（五）: an operating 等保二级 system has its 等保 filing (C004)
    "mlps_certificate": "    file: attachments/mlps-certificate.pdf\n    number: \"63280113002-24011\"\n"
                        "    date: 2024-10-08\n",
    "self_evaluation_report": "    file: attachments/self-evaluation-report.pdf\n    date: 2025-10-20\n"
                              "    submitted_to: [ndrc, finance]\n",
    "post_evaluation_report": "    file: attachments/post-evaluation-report.pdf\n    date: 2026-06-15\n"
                              "    evaluator: 青海正信工程咨询有限公司\n",
}
FIRST_ATTACHMENTS = ("feasibility-study.pdf", "preliminary-design.pdf", "investment-estimate.xlsx",
                     "resource-catalog.xlsx")


@dataclass(frozen=True)
class Step:
    stage: str
    date: str
    key: str  # which of `keys` signs
    docs: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()


class Life:
    """The whole life of the fixture dossier, one step per transition."""

    STEPS: tuple[Step, ...] = (
        Step("proposed", "2023-07-25", "unit", (), ("feasibility_study",)),
        Step("approved", "2023-08-30", "ndrc", ("approval_reply",), ("approval_reply",)),
        Step("filed", "2023-09-12", "gov_office", ("filing_form",), ("filing_form",)),
        Step("procuring", "2023-10-09", "finance", ("budget_application", "procurement_filing"),
             ("procurement_filing",)),
        Step("under_construction", "2023-11-20", "unit", ("contract",), ("contract",)),
        Step("completed", "2024-04-30", "unit"),
        Step("preliminarily_accepted", "2024-07-15", "unit", ("preliminary_acceptance_report",)),
        Step("acceptance_requested", "2024-08-05", "unit",
             ("construction_summary", "financial_report", "audit_report", "security_risk_assessment")),
        Step("accepted", "2024-09-20", "ndrc", ("acceptance_report",), ("acceptance_report",)),
        Step("operating", "2024-10-08", "unit", ("mlps_certificate",)),
        Step("self_evaluated", "2025-10-20", "unit", ("self_evaluation_report",)),
        Step("post_evaluated", "2026-06-15", "ndrc", ("post_evaluation_report",)),
    )

    @classmethod
    def step(cls, stage: str) -> Step:
        return next(s for s in cls.STEPS if s.stage == stage)


def project_dir(repo: Path, project: str = PROJECT) -> Path:
    return repo / "dossiers" / project


def project_file(repo: Path, project: str = PROJECT) -> Path:
    return project_dir(repo, project) / "project.yaml"


def add_documents(repo: Path, kinds: tuple[str, ...] | list[str], project: str = PROJECT) -> None:
    """Record documents (before the `stage:` line) and create their attachments, as a
    clerk does before asking for the next stage."""
    path = project_file(repo, project)
    text = path.read_text("utf-8")
    block = "".join(f"  {k}:\n{DOCS[k]}" for k in kinds)
    marker = "\nstage: "
    i = text.index(marker)
    # the documents block ends at the blank line above `stage:`
    text = text[:i].rstrip("\n") + "\n" + block + "\n" + text[i + 1:]
    path.write_text(text, "utf-8")
    for k in kinds:
        rel = DOCS[k].split("file: ", 1)[1].split("\n", 1)[0]
        f = project_dir(repo, project) / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_bytes(f"%PDF-1.4 {k}\n".encode())


def write_draft(repo: Path, project: str = PROJECT, unit: str = UNIT) -> None:
    d = project_dir(repo, project)
    (d / "attachments").mkdir(parents=True, exist_ok=True)
    text = DRAFT.replace(f"id: {PROJECT}", f"id: {project}").replace(f"unit: {UNIT}", f"unit: {unit}")
    (d / "project.yaml").write_text(text, "utf-8")
    for name in FIRST_ATTACHMENTS:
        (d / "attachments" / name).write_bytes(f"%PDF-1.4 {name}\n".encode())


def make_repo(path: Path, keys: dict[str, Key], *, signing: Key | None = None) -> Path:
    """A dossier repository with one draft dossier, committed (unsigned) on `main`."""
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    (path / "gtx.yaml").write_text(settings_yaml(keys), "utf-8")
    write_draft(path)
    commit(path, "initial: gtx.yaml and a draft dossier")
    use_key(path, signing or keys["unit"])
    return path


def branch(repo: Path, name: str = "feature") -> None:
    git(repo, "switch", "-q", "-c", name)


def env_clean() -> bool:
    """True when the isolation is in place (a guard for helpers used outside fixtures)."""
    return os.environ.get("GIT_CONFIG_NOSYSTEM") == "1"


@dataclass(frozen=True)
class PgpKey:
    fingerprint: str
    home: Path


@pytest.fixture(name="pgp_key")
def pgp_key_fixture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PgpKey]:
    """An OpenPGP signing key in a private GNUPGHOME (needs gpg); its agent is stopped after."""
    import shutil

    if shutil.which("gpg") is None:
        pytest.skip("gpg is not installed")
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    monkeypatch.setenv("GNUPGHOME", str(home))
    subprocess.run(["gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key",
                    "Finance Test <finance@gtx.invalid>", "ed25519", "sign", "never"],
                   check=True, capture_output=True)
    out = subprocess.run(["gpg", "--batch", "--with-colons", "--fingerprint", "--list-secret-keys"],
                         check=True, capture_output=True, text=True).stdout
    fpr = next(line.split(":")[9] for line in out.splitlines() if line.startswith("fpr:"))
    try:
        yield PgpKey(fpr, home)
    finally:
        subprocess.run(["gpgconf", "--kill", "gpg-agent"], capture_output=True, check=False)
