"""S, F, H and C rules: the file, its attachments, its history, its scope."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from golmud_cli.core.lifecycle import Role, Stage, transition
from golmud_cli.core.rules.base import Context, E, FileStatus, Hit, I, Rule, W, rule, structural
from golmud_cli.core.values import ID_RE, CryptoResult, FundingSource, MlpsLevel, Network

if TYPE_CHECKING:
    from golmud_cli.core.model import Dossier

# Enum members the per-dossier checks below read, read once here: a read off an enum
# class goes through EnumType's __getattr__ hook (~0.2 us; core/deadlines.py).
_CRYPTO_FAIL = CryptoResult.fail
_FUND_CENTRAL = FundingSource.central
_FUND_PROVINCIAL = FundingSource.provincial
_MLPS_CLASSIFIED = MlpsLevel.classified
_MLPS_LEVEL2 = MlpsLevel.level2
_MLPS_LEVEL3 = MlpsLevel.level3
_MLPS_OTHER = MlpsLevel.other
_NETWORK_OTHER = Network.other
_STAGE_DRAFT = Stage.draft
_STAGE_REJECTED = Stage.rejected


S001 = structural("S001", ("YAML 语法与编码", "YAML syntax and encoding"), ("{detail}", "{detail}"))


def s002(ctx: Context) -> list[Hit]:
    # The conditional fields of docs/dossier.md: 说明 when 其他, the operator when on the cloud.
    hits: list[Hit] = []
    d = ctx.dossier
    if d.mlps and d.mlps.level is _MLPS_OTHER and not (d.mlps.note or "").strip():
        hits.append(
            Hit(
                ("mlps", "note"),
                {
                    "reason": "等级保护备案选择“其他”时须说明",
                    "reason_en": "the MLPS level is other",
                },
                anchor="key" if d.mlps.note is not None else "parent",
                variant="required_when",
            )
        )
    if d.cloud and d.cloud.deployed and not (d.cloud.operator or "").strip():
        hits.append(
            Hit(
                ("cloud", "operator"),
                {
                    "reason": "部署在云平台时须填写运维管理机构",
                    "reason_en": "the system is deployed on the cloud",
                },
                variant="required_when",
            )
        )
    if d.network is _NETWORK_OTHER and not (d.network_note or "").strip():
        hits.append(
            Hit(
                ("network_note",),
                {"reason": "基础网络选择“其他”时须说明", "reason_en": "the network is other"},
                variant="required_when",
            )
        )
    return hits


S002 = rule(
    "S002",
    E,
    None,
    None,
    ("格式与必填项", "schema"),
    (
        "{field}（{label}）不符合格式：{detail}",
        "{field} ({label}) does not fit the schema: {detail}",
    ),
    variants={
        "required_when": (
            "{field}（{label}）必须填写：{reason}。",
            "{field} ({label}) is required: {reason_en}.",
        ),
    },
)(s002)


S003 = structural("S003", ("重复的键", "duplicate keys"), ("{detail}", "{detail}"))
S004 = structural(
    "S004", ("未知的键（拼写错误）", "unknown key (a typo)"), ("{detail}", "{detail}")
)


def s005(ctx: Context) -> list[Hit]:
    if not ID_RE.match(ctx.folder):
        # the folder name cannot be an id: suggesting `id: <folder>` would be wrong
        return [Hit(("id",), {"id": ctx.dossier.id, "folder": ctx.folder}, variant="bad_folder")]
    elif ctx.dossier.id != ctx.folder:
        return [Hit(("id",), {"id": ctx.dossier.id, "folder": ctx.folder})]
    return []


S005 = rule(
    "S005",
    E,
    None,
    None,
    ("项目编号与文件夹一致且唯一", "id equals its folder and is unique"),
    (
        "id（项目编号）“{id}”与文件夹名“{folder}”不一致：请把 id 改为“{folder}”，或重命名文件夹。",
        "id '{id}' differs from its folder '{folder}': set id to '{folder}' or rename the folder.",
    ),
    variants={
        "bad_folder": (
            "文件夹名“{folder}”不是合法的项目编号（小写字母、数字和连字符，3 到 64 个字符）：请把文件夹重命名为 id“{id}”。",
            "the folder name '{folder}' is not a valid project id (3-64 lowercase letters, digits "
            "and hyphens): rename the folder to the id '{id}'.",
        ),
        "duplicate": (
            "id（项目编号）“{id}”在仓库中重复：{others}。每个项目的编号必须唯一。",
            "id '{id}' is not unique in the repository: {others}. Every project needs its own id.",
        ),
        # more than DUPLICATES_LISTED others: the first of them and how many in all, so a
        # repository where thousands of folders share one id (a pushed mistake or an
        # attack) costs one line each, not thousands of names in every finding
        "duplicate_many": (
            "id（项目编号）“{id}”在仓库中重复：{others} 等共 {count} 个项目。每个项目的编号必须唯一。",
            "id '{id}' is not unique in the repository: {others} and {more} more ({count} "
            "projects in all). Every project needs its own id.",
        ),
    },
)(s005)

DUPLICATES_LISTED = 10  # S005: the other holders of an id named in one finding


Reference = tuple[tuple[str | int, ...], str, str]
Recorded = tuple[str, str, str]  # (kind, file, sha256)
_Read = tuple[object, object, tuple[Reference, ...], tuple[Recorded, ...]]

# The last answers of referenced_files and recorded_digests, by the identity of the
# documents and extensions they were read from: the edge's stat and hash, F001, F002
# and F003 ask in a row about one dossier (the effective one shares them with the one
# written: corrections change the history only), and one pass over the documents
# answers both (Documents.present was three calls a dossier, docs/benchmarks.md).
_LAST_REFERENCED: _Read | None = None


def _read(d: Dossier) -> _Read:
    global _LAST_REFERENCED
    documents, extensions = d.documents, d.extensions
    last = _LAST_REFERENCED
    if last is not None and last[0] is documents and last[1] is extensions:
        return last
    out: list[Reference] = []
    recorded: list[Recorded] = []
    for kind, doc in documents.present().items():
        out.append((("documents", kind, "file"), doc.file, kind))
        if doc.sha256 is not None:
            recorded.append((kind, doc.file, doc.sha256))
    for i, ext in enumerate(extensions):
        if ext.file:
            out.append((("extensions", i, "file"), ext.file, "extension"))
    got = _LAST_REFERENCED = (documents, extensions, tuple(out), tuple(recorded))
    return got


def referenced_files(d: Dossier) -> tuple[Reference, ...]:
    """(path, file, what) for every `file` the dossier references."""
    return _read(d)[2]


def f001(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    files = ctx.files
    if _all_ok(files):
        return hits
    for path, file, _ in referenced_files(ctx.dossier):
        status = files.get(file)
        if status is _MISSING:
            hits.append(Hit(path, {"file": file}))
        elif status is _NOT_A_FILE:
            hits.append(Hit(path, {"file": file}, variant="not_a_file"))
    return hits


def _all_ok(files: Mapping[str, FileStatus]) -> bool:
    # F001 and F002 judge only the statuses that are not ok: when every file stands
    # (most dossiers), neither has a hit, and this is one count in C rather than a
    # Python step and two enum reads a referenced file
    return list(files.values()).count(_OK) == len(files)


_OK, _MISSING, _NOT_A_FILE = FileStatus.ok, FileStatus.missing, FileStatus.not_a_file

F001 = rule(
    "F001",
    E,
    None,
    None,
    ("引用的文件存在", "referenced files exist"),
    (
        "{field}（{label}）引用的文件不存在：{file}。请把文件放入项目文件夹，或改正路径。",
        "{field} ({label}) references a missing file: {file}. Put the file in the project "
        "folder or correct the path.",
    ),
    variants={
        "not_a_file": (
            "{field}（{label}）引用的不是普通文件：{file}（是文件夹或特殊文件）。",
            "{field} ({label}) is not a regular file: {file} (a folder or a special file).",
        ),
    },
)(f001)


def f002(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    files = ctx.files
    if _all_ok(files):
        return hits
    why = _F002_WHY
    for path, file, _ in referenced_files(ctx.dossier):
        status = files.get(file)
        if status in why:
            zh, en = why[status]
            hits.append(
                Hit(
                    path,
                    {
                        "file": repr(file) if status is FileStatus.bad_name else file,
                        "why": zh,
                        "why_en": en,
                    },
                )
            )
    return hits


_F002_WHY = {
    FileStatus.absolute: ("是绝对路径", "is absolute"),
    FileStatus.escapes: ("用 .. 离开了项目文件夹", "leaves the project folder with .."),
    FileStatus.link_out: ("是指向项目文件夹外的链接", "is a link pointing outside the folder"),
    FileStatus.bad_name: ("含有控制字符或不可用的字符", "holds control or unusable characters"),
}

F002 = rule(
    "F002",
    E,
    None,
    None,
    ("文件不离开项目文件夹", "files stay inside the project folder"),
    (
        "{field}（{label}）的路径 {file} {why}：附件必须是项目文件夹内的相对路径，例如 attachments/x.pdf。",
        "{field} ({label}) path {file} {why_en}: an attachment must be a relative path inside "
        "the project folder, e.g. attachments/x.pdf.",
    ),
)(f002)


def recorded_digests(d: Dossier) -> tuple[Recorded, ...]:
    """(kind, file, sha256) for every document whose SHA-256 was recorded (gtx attach):
    the files the edge hashes for F003."""
    return _read(d)[3]


def _signed_by(d: Dossier, kind: str) -> tuple[int, str] | None:
    """(1-based entry, stage) of the first history entry whose refs name `kind`: the
    signed act (gtx advance --ref) that rests on that document."""
    for n, h in enumerate(d.history, 1):
        if any(ref.value == kind for ref in h.refs):
            return n, h.stage.value
    return None


_F003_FIX = (
    "请放回登记的文件；如新文件才是正确的，删除 documents.{kind} 后用 gtx attach 重新登记。",
    "Put the recorded file back; if the new file is the right one, delete documents.{kind} "
    "and record it again with gtx attach.",
)
_F003_FIX_SIGNED = (
    "history（阶段历史）第 {n} 项（{stage}）依据这份文件，它是已签署的记录：请放回签署时的文件"
    "（git 保存着每个已提交的版本）。更换已签署的文件是新的行为，须重新签署：删除 documents.{kind}，"
    "用 gtx attach 登记新文件，并在签署的流转中引用它（gtx advance --ref {kind}）。",
    "History entry {n} ({stage}) rests on it, so it is a signed record: put the signed file "
    "back (git keeps every committed version). Replacing a signed document is a new act "
    "that needs new signatures: delete documents.{kind}, record the new file with gtx "
    "attach and name it in a signed transition (gtx advance --ref {kind}).",
)


def f003(ctx: Context) -> list[Hit]:
    # 三（五）: the unit 如实提供建设项目有关资料, 不得隐匿、瞒报. A document's SHA-256 is
    # recorded when it is filed (gtx attach); a file that no longer matches is not the
    # one recorded. Where a history entry's refs name the document, the act was signed
    # on that file: the swap is an error (it fails validate and blocks advance).
    # Before any act rests on it, a rescanned file is ordinary work whose record has
    # not followed: a warning (fails with --strict). A missing or misplaced file is
    # F001's and F002's; only files that stand (status ok) are hashed.
    hits: list[Hit] = []
    if not ctx.digests:
        return hits  # nothing hashed: no hit (each needs its file's digest below)
    d = ctx.dossier
    for kind, file, recorded in recorded_digests(d):
        got = ctx.digests.get(file)
        if got is None or got.sha256 == recorded:
            continue
        signed = _signed_by(d, kind)
        if signed is None:
            zh, en = (t.format(kind=kind) for t in _F003_FIX)
        else:
            n, stage = signed
            zh, en = (t.format(kind=kind, n=n, stage=stage) for t in _F003_FIX_SIGNED)
        params = {"file": file, "fix": zh, "fix_en": en}
        if got.sha256 is not None:
            params |= {"recorded": recorded[:12], "actual": got.sha256[:12]}
            variant = ""
        elif got.link:
            variant = "link"
        else:
            params |= {"why": got.why_zh, "why_en": got.why_en}
            variant = "unreadable"
        hits.append(
            Hit(
                ("documents", kind, "sha256"),
                params,
                severity=E if signed else W,
                variant=variant,
            )
        )
    return hits


F003 = rule(
    "F003",
    E,
    "三（五）",
    None,
    ("附件与登记的 SHA-256 一致", "attachments match their recorded SHA-256"),
    (
        "{field}（{label}）：{file} 与登记的 SHA-256 不一致（登记 {recorded}…，现为 {actual}…），"
        "已不是登记时的文件。{fix}",
        "{field} ({label}): {file} does not match its recorded SHA-256 (recorded "
        "{recorded}..., now {actual}...): it is not the file that was recorded. {fix_en}",
    ),
    variants={
        "link": (
            "{field}（{label}）：{file} 是符号链接或经过链接：gtx 不跟随链接（git 只保存链接本身），"
            "无法核对登记的 SHA-256。{fix}",
            "{field} ({label}): {file} is or passes through a symbolic link: gtx does not "
            "follow links (git keeps only the link), so its recorded SHA-256 cannot be "
            "checked. {fix_en}",
        ),
        "unreadable": (
            "{field}（{label}）：无法读取 {file}（{why}），无法核对登记的 SHA-256。{fix}",
            "{field} ({label}): cannot read {file} ({why_en}), so its recorded SHA-256 cannot "
            "be checked. {fix_en}",
        ),
    },
    needs="digests",
)(f003)


def h001(ctx: Context) -> list[Hit]:
    d = ctx.dossier
    last = d.history[-1].stage if d.history else _STAGE_DRAFT
    if d.stage is not last:
        return [Hit(("stage",), {"stage": d.stage.value, "last": last.value})]
    return []


H001 = rule(
    "H001",
    E,
    None,
    None,
    ("当前阶段与历史一致", "stage equals the last history entry"),
    (
        "stage（当前阶段）为 {stage}，但 history（阶段历史）最后一项是 {last}：两者必须一致，"
        "阶段只能通过 gtx advance 变更。",
        "stage is {stage} but the last history entry is {last}: they must agree; change the "
        "stage only with gtx advance.",
    ),
)(h001)


# H002's hits by the history's (stage, role) pairs, all it reads: a repository's
# dossiers share a few dozen histories (a bound for a long-lived process; past it, each
# history is walked again, with the same answer).
_H002_SEEN: dict[tuple[tuple[Stage, Role], ...], tuple[Hit, ...]] = {}
H002_SEEN_MAX = 4096


def forget() -> None:
    """Drop the memos of this module (the tests: none reads another's, tests/conftest.py)."""
    global _LAST_REFERENCED
    _H002_SEEN.clear()
    _LAST_REFERENCED = None


def h002(ctx: Context) -> tuple[Hit, ...]:
    history = ctx.dossier.history
    key = tuple([(h.stage, h.role) for h in history])
    hits = _H002_SEEN.get(key)
    if hits is None:
        hits = tuple(_h002_walk(key))
        if len(_H002_SEEN) < H002_SEEN_MAX:
            _H002_SEEN[key] = hits
    return hits


def _h002_walk(history: tuple[tuple[Stage, Role], ...]) -> Iterator[Hit]:
    current = resume_to = Stage.draft  # a project starts as a draft, which no suspension is
    for i, (stage, role) in enumerate(history):
        t = transition(current, stage, resume_to)
        if t is None:
            from golmud_cli.core.lifecycle import next_stages

            allowed = ", ".join(s.value for s in next_stages(current, resume_to)) or "-"
            yield Hit(
                ("history", i, "stage"),
                {"n": i + 1, "source": current.value, "target": stage.value, "allowed": allowed},
            )
            return  # the rest follows from a broken chain; one finding says it
        if t.role is not role:
            yield Hit(
                ("history", i, "role"),
                {
                    "n": i + 1,
                    "target": stage.value,
                    "role": t.role.value,
                    "role_label": t.role.label,
                    "given": role.value,
                },
                variant="role",
            )
        # the stage before this one: where a suspension resumes to (lifecycle.position),
        # which transition() reads only when the current stage is suspended
        current, resume_to = stage, current


H002 = rule(
    "H002",
    E,
    None,
    None,
    ("历史符合合法的阶段转换及其角色", "history follows the legal transitions and roles"),
    (
        "history（阶段历史）第 {n} 项：不能从 {source} 进入 {target}（合法的下一阶段：{allowed}）。"
        "不能跳过阶段，也不能退回。",
        "history entry {n}: {source} cannot move to {target} (legal next stages: {allowed}). "
        "No stage may be skipped or undone.",
    ),
    variants={
        "role": (
            "history（阶段历史）第 {n} 项：进入 {target} 应由 {role}（{role_label}）办理，而不是 {given}。",
            "history entry {n}: entering {target} is an act of {role} ({role_label}), not {given}.",
        ),
    },
    also=("二（五）",),
)(h002)


def h003(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    history = ctx.dossier.history
    dates = [h.date for h in history]
    # today compared once with the latest date, not with every entry, unless one is
    # later: a TrackedDay (core/dateinterval.py) records the same interval either way
    future = bool(history) and max(dates) > ctx.today
    if not future and sorted(dates) == dates:
        return hits  # no entry goes back (plain dates, compared in C) and none is later
    prev = None
    for i, h in enumerate(history):
        if prev is not None and h.date < prev:
            hits.append(Hit(("history", i, "date"), {"n": i + 1, "date": h.date, "prev": prev}))
        if future and h.date > ctx.today:
            hits.append(
                Hit(
                    ("history", i, "date"),
                    {"n": i + 1, "date": h.date, "today": ctx.today},
                    variant="future",
                )
            )
        prev = h.date
    return hits


H003 = rule(
    "H003",
    E,
    None,
    None,
    ("历史日期不倒退、不在未来", "history dates never decrease and are not in the future"),
    (
        "history（阶段历史）第 {n} 项的日期 {date} 早于上一项的 {prev}：日期不能倒退。",
        "history entry {n} is dated {date}, before the previous entry's {prev}: dates never "
        "go back.",
    ),
    variants={
        "future": (
            "history（阶段历史）第 {n} 项的日期 {date} 在今天（{today}）之后：只能记录已经发生的行为。",
            "history entry {n} is dated {date}, after today ({today}): record only acts that "
            "happened.",
        ),
    },
)(h003)


def c001(ctx: Context) -> list[Hit]:
    fs = ctx.dossier.funding_source
    if fs in (_FUND_CENTRAL, _FUND_PROVINCIAL):
        return [Hit(("funding_source",), {"source": fs.label, "source_en": fs.value})]
    return []


C001 = rule(
    "C001",
    I,
    "一",
    None,
    (
        "中央或省级资金项目适用省级办法",
        "central or provincial funding: the provincial measures govern",
    ),
    (
        "funding_source（资金来源）为{source}：依《办法》一，参照青政办〔2020〕38号执行；gtx 只检查 S、F、H "
        "规则，不计算格尔木市的期限。",
        "funding_source is {source_en}: under 一 the provincial measures 青政办〔2020〕38号 govern; "
        "gtx checks the S, F and H rules only and applies no Golmud deadline.",
    ),
)(c001)


def c002(ctx: Context) -> list[Hit]:
    c = ctx.dossier.cloud
    if c is not None and c.deployed is False and not (c.exemption_reason or "").strip():
        return [Hit(("cloud", "exemption_reason"), anchor="parent")]
    return []


C002 = rule(
    "C002",
    W,
    "二（三）",
    None,
    ("未部署在政务云须说明理由", "not on the e-gov cloud without a reason"),
    (
        "cloud.deployed（云平台部署）为“否”，但未填写 cloud.exemption_reason（未上云理由）：依二（三），"
        "原则上应依托市电子政务云集约建设，请说明不上云的理由。",
        "cloud.deployed is false but cloud.exemption_reason is empty: under 二（三） projects "
        "should build on the city's e-gov cloud; state why this one does not.",
    ),
)(c002)


# 二（三）: 各单位原则上不得新建行业云平台和业务专网. A reason for not using the e-gov cloud
# that is itself building an industry cloud or a private network is no reason.
INDUSTRY_CLOUD = re.compile(
    r"(新建|自建|另建|建设|搭建|建立)[^，,。；;]{0,10}(行业云|云平台|私有云|专有云|业务专网|专网)"
)


def c003(ctx: Context) -> list[Hit]:
    if ctx.dossier.stage is _STAGE_REJECTED:
        return []  # 三（二）: 未通过审核的项目不予实施: nothing will be built
    c = ctx.dossier.cloud
    if c is None or c.deployed is not False or not c.exemption_reason:
        return []
    m = INDUSTRY_CLOUD.search(c.exemption_reason)
    if m:
        return [Hit(("cloud", "exemption_reason"), {"match": m.group(0)})]
    return []


C003 = rule(
    "C003",
    W,
    "二（三）",
    None,
    ("不得以新建行业云为由不上云", "building an industry cloud is no reason to stay off the cloud"),
    (
        "{field}（{label}）“{match}”：各单位原则上不得新建行业云平台和业务专网，"
        "这不能作为不部署在市电子政务云的理由。",
        "{field} ({label}) '{match}': units must in principle not build an industry cloud "
        "or a private network, so this is no reason to stay off the city's e-gov cloud.",
    ),
)(c003)


def c004(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    d = ctx.dossier
    level = d.mlps.level if d.mlps else None
    if level not in (_MLPS_LEVEL2, _MLPS_LEVEL3, _MLPS_CLASSIFIED):
        return hits
    cert = d.documents.mlps_certificate
    if cert is None:
        hits.append(
            Hit(
                ("documents", "mlps_certificate"),
                {**_c004_level(level), "what": "缺失", "what_en": "is missing"},
                anchor="parent",
            )
        )
        return hits
    for f, v in (("number", cert.number), ("date", cert.date)):
        if v is None or (isinstance(v, str) and not v.strip()):
            hits.append(
                Hit(
                    ("documents", "mlps_certificate", f),
                    {**_c004_level(level), "what": "未填写", "what_en": "is missing"},
                    anchor="parent",
                )
            )
    return hits


def _c004_level(level: MlpsLevel) -> dict[str, str]:
    # a hit's words for the level, made only for a hit (the label and the enum's
    # value are Python-level reads, and most certificates are complete)
    return {"level": level.label, "level_en": f"mlps.level {level.value}"}


C004 = rule(
    "C004",
    E,
    "三（五）",
    Stage.operating,
    ("运行系统的等级保护（分级保护）备案", "an operating system's MLPS (or classified) filing"),
    (
        "{field}（{label}）{what}：{level}的系统投入运行须完成等级保护备案（涉密系统为分级保护），"
        "并记录备案证明编号和备案日期（三（三）备案表“等级保护和分级保护备案”，三（五）网络安全监管）。",
        "{field} ({label}) {what_en}: an operating system at {level_en} has its MLPS filing "
        "(分级保护 for a classified system) with the certificate number and date.",
    ),
    also=("三（三）", "附件"),
)(c004)


def c005(ctx: Context) -> list[Hit]:
    # 三（五）"按要求": 密评 is required from 等保三级 (商用密码管理条例, GB/T 39786); the
    # period of "定期" is not in the measures and is left unchecked (coverage).
    hits: list[Hit] = []
    d = ctx.dossier
    if not d.mlps or d.mlps.level is not _MLPS_LEVEL3:
        return hits
    ca = d.documents.crypto_assessment
    if ca is None:
        hits.append(
            Hit(
                ("documents", "crypto_assessment"),
                {"what": "缺失", "what_en": "is missing"},
                anchor="parent",
            )
        )
        return hits
    for f in ("date", "result", "evaluator"):
        v = getattr(ca, f)
        if v is None or (isinstance(v, str) and not v.strip()):
            hits.append(
                Hit(
                    ("documents", "crypto_assessment", f),
                    {"what": "未填写", "what_en": "is missing"},
                    anchor="parent",
                )
            )
    if ca.result is _CRYPTO_FAIL:
        hits.append(
            Hit(
                ("documents", "crypto_assessment", "result"),
                {"what": "为 fail（不符合）", "what_en": "is fail"},
            )
        )
    return hits


C005 = rule(
    "C005",
    E,
    "三（五）",
    Stage.operating,
    ("等保三级系统的密码应用安全性评估", "the crypto assessment of an MLPS level 3 system"),
    (
        "{field}（{label}）{what}：各部门应当按要求采用密码技术，并定期开展密码应用安全性评估；"
        "等保三级系统投入运行须有带日期、结论和评估机构的密评报告。",
        "{field} ({label}) {what_en}: systems use cryptography as required and are assessed "
        "regularly; an operating MLPS level 3 system has a dated crypto assessment with its "
        "result and evaluator.",
    ),
)(c005)


# A rule on gtx.yaml, produced when the settings are loaded (golmud_cli/policy.py).
C006 = Rule(
    "C006",
    I,
    None,
    None,
    "本地政策与《办法》的数字不同",
    "local policy differs from the measures' numbers",
    {
        "": (
            "{field}（{label}）为 {value}，《办法》{clause}规定为 {default}：本仓库按本地政策执行，"
            "所有期限和提示均使用 {value}。",
            "{field} ({label}) is {value} where the measures ({clause}) say {default}: this "
            "repository follows local policy, and every deadline and message uses {value}.",
        ),
        "local": (
            "{field}（{label}）为 {value}，gtx 默认为 {default}（本身即本地政策，{clause}）："
            "所有期限和提示均使用 {value}。",
            "{field} ({label}) is {value} where gtx's default is {default} (itself local "
            "policy, {clause}): every deadline and message uses {value}.",
        ),
    },
)
