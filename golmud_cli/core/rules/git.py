"""G rules: what `gtx verify` finds in git's objects and history (docs/security.md).

These are not checks of one dossier: `gtx verify` reports them for a commit range.
Each entry's message is the explanation `gtx rules G0xx` shows.
"""

from __future__ import annotations

from golmud_cli.core.findings import Severity
from golmud_cli.core.rules.base import E, Rule, W


def _g(code: str, title: tuple[str, str], explain: tuple[str, str], severity: Severity = E) -> Rule:
    return Rule(code, severity, None, None, title[0], title[1], {"": explain}, None)


G001 = _g(
    "G001",
    ("不是普通文件或文件夹", "not a plain file or folder"),
    (
        "gtx.yaml、dossiers/、项目文件夹或 project.yaml 在 git 中存成了符号链接（120000）、子模块（160000）"
        "或其他类型。链接会让 gtx 读到的内容与检出后看到的不同，因此一律拒绝：请改为普通文件和文件夹。",
        "gtx.yaml, dossiers/, a project folder or a project.yaml is stored in git as a symbolic "
        "link (120000), a submodule (160000) or another kind. A link makes what gtx reads differ "
        "from what a checkout shows, so it is refused: commit plain files and folders.",
    ),
)
G002 = _g(
    "G002",
    ("树对象格式错误", "malformed tree"),
    (
        "git 的树对象中有重名条目，或名称为 .、..、.git、含 / 或空字符：检出时写出的文件与 gtx 读到的可能不同"
        "（git fsck 会拒绝这样的树）。请用正常的 git 命令重新提交。",
        "a git tree holds two entries of the same name, or a name that is ., .., .git or holds / "
        "or NUL: a checkout may write another file than the one gtx read (git fsck rejects such "
        "trees). Recommit with ordinary git commands.",
    ),
)
G003 = _g(
    "G003",
    ("属性文件改变检出结果", "attributes change what is checked out"),
    (
        ".gitattributes 对 dossiers/ 或 gtx.yaml 设置了 working-tree-encoding、filter、eol、text、ident、"
        "export-subst、diff 等属性，或 .gitmodules 把它们变成子模块：检出或审阅看到的内容将与 git 存储的不同。"
        "请删除这些行。",
        ".gitattributes sets working-tree-encoding, filter, eol, text, ident, export-subst, diff "
        "or the like on dossiers/ or gtx.yaml, or .gitmodules makes them submodules: what a "
        "checkout or a reviewer sees would differ from what git stores. Remove those lines.",
    ),
)
G004 = _g(
    "G004",
    ("对象过大", "object too large"),
    (
        "档案或 gtx.yaml 的 blob 超过读取上限：gtx verify 不读取它（只检查大小），以免占用过多内存。"
        "项目档案只有几 KB，请检查是否放错了文件。",
        "a dossier's or gtx.yaml's blob is over the size limit: gtx verify does not read it (it "
        "checks the size only) so that memory stays bounded. A dossier is a few KB: check the file.",
    ),
)
G005 = _g(
    "G005",
    ("流转记录被删改", "history dropped or rewritten"),
    (
        "某个提交中项目的流转记录（或更正记录）不是其某个父提交中记录的延续（删除、改写或重排了已有记录），"
        "或基准中已有的项目在末端提交中不见了。流转记录和更正记录只能追加；合并时也不能拿旧版本覆盖新版本。",
        "a project's history (or its corrections) at a commit does not start with those at one of "
        "the commit's parents (entries dropped, edited or reordered), or a project of the base is "
        "gone at the head. History and corrections are append-only, and a merge may not take an "
        "older version over a newer one.",
    ),
)
G006 = _g(
    "G006",
    ("合并提交产生了流转", "a merge makes a transition"),
    (
        "合并提交新增了任何父提交中都没有的流转记录或更正记录，或改动了阶段：每次阶段流转（gtx advance）"
        "和每次更正（gtx correct）必须是单独的签名提交。",
        "a merge commit adds a history entry or a correction that none of its parents holds, or "
        "changes a stage: every transition (gtx advance) and every correction (gtx correct) is "
        "its own signed commit.",
    ),
)
G007 = _g(
    "G007",
    ("签名不符", "signature not acceptable"),
    (
        "流转（或更正）提交没有签名、签名无效，或签名密钥未在基准的 gtx.yaml 中登记为该角色（建设单位）的签署人，"
        "或在流转（更正）日期不在该签署人的有效期（from / until）内。更正须由签署原流转的角色签名。",
        "the transition (or correction) commit is unsigned, badly signed, or signed by a key that "
        "the base's gtx.yaml does not list for the role (or unit) of the act, or not valid (from / "
        "until) on the act's (correction's) date. A correction is signed by the role that signed "
        "the act it corrects.",
    ),
)
G008 = _g(
    "G008",
    ("不合法的流转", "illegal transition"),
    (
        "追加的流转不符合生命周期（跳过、倒退、离开终局阶段、不合法的恢复），"
        "或记录的角色不是该流转的角色，或一次提交追加了多条记录。",
        "the appended transition breaks the lifecycle (a skip, a step back, leaving a final "
        "stage, a wrong resume), or names another role than the act's, or one commit appends "
        "several entries.",
    ),
)
G009 = _g(
    "G009",
    ("准入条件在该提交时不满足", "gate did not hold at the commit"),
    (
        "以流转日期为当日、以该提交中的档案和附件检查，进入新阶段的准入条件不满足。",
        "with the act's date as today and the dossier and attachments of that commit, the gate "
        "of the new stage did not hold.",
    ),
)
G010 = _g(
    "G010",
    ("流转提交改动了其他内容", "transition commit changes more"),
    (
        "流转提交还改动了其他项目或项目文件夹之外的文件：一次流转只能包含本项目文件夹。",
        "the transition commit also changes other projects or files outside the project's "
        "folder: a transition holds its own folder only.",
    ),
)
G011 = _g(
    "G011",
    ("阶段与流转记录不符", "stage does not match history"),
    (
        "stage 与流转记录推出的阶段不一致：阶段只能用 gtx advance（追加流转记录）变更。",
        "stage differs from the stage that the history implies: change the stage with gtx "
        "advance (a history entry) only.",
    ),
)
G012 = _g(
    "G012",
    ("档案无法读取", "dossier unreadable"),
    (
        "该提交中的 project.yaml 或基准的 gtx.yaml 无法解析，无法核对其流转记录或签署人。请修正后重新提交。",
        "a project.yaml at that commit, or gtx.yaml at the base, cannot be read, so its history "
        "or signers cannot be checked. Fix it and commit again.",
    ),
)
G013 = _g(
    "G013",
    ("更正不合规", "correction not acceptable"),
    (
        "追加的更正记录指向不存在的流转记录，或与流转记录一同追加、一次追加多条，"
        "或以更正日期为当日检查时带来了该提交之前没有的错误（如 H004-H009）。",
        "the appended correction names no existing history entry, or comes with a history entry "
        "or with other corrections in one commit, or, checked with its date as today, brings an "
        "error the parent did not have (such as H004-H009).",
    ),
)
# A warning: verify's verdict (and exit code) stays that of G001-G013, as its invariant
# (docs/security.md) says; what a signature covers is for the reviewer to weigh.
G014 = _g(
    "G014",
    ("已签署行为所依据的文件被改动", "a document a signed act rests on changed"),
    (
        "流转记录的 refs 列出该行为所依据的文件（如立项批复）。签署后，一个提交改动了这类文件在 documents "
        "中的条目（文件名、日期、文号、SHA-256 等）或附件本身：签名只证明签署时的版本。请核对改动是否属实；"
        "如需重新认定，由该角色签署新的流转或更正。",
        "a history entry's refs name the documents its act rests on (the approval reply, say). "
        "After the signing, a commit changed such a document's entry in documents (file, date, "
        "number, SHA-256, ...) or the attachment itself: the signature covers the version signed "
        "only. Check that the change is legitimate; if the act must be judged again, its role "
        "signs a new transition or a correction.",
    ),
    W,
)
