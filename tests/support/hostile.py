"""Hostile project.yaml generators (hypothesis strategies) shared by the fuzz and fast-path tests."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import strategies as st

from golmud_cli.core.labels import known_keys
from tests.support.filed import FILED, PID

HOSTILE = [
    "{{ 7*7 }}", "{% for x in range(10**9) %}x{% endfor %}", "{{ ''.__class__.__mro__ }}",
    "!!python/object/apply:os.system ['touch PWNED']", "!!python/name:os.system",
    "!!python/object/new:os.system [touch PWNED]", "!<tag:yaml.org,2002:python/object:os.system> {}",
    "!!binary aGVsbG8=", "!!timestamp 2024-01-01", "!!set {a, b}", "!!omap [a: 1]", "!custom x",
    "&a x", "*a", "<<: *a", "&a [*a]",
    "1e999", "-1e999", ".inf", "-.inf", ".nan", "0x" + "f" * 40, "9" * 5000, "-0", "0o17", "0b101",
    "1_000_000", "+12", "１２３", "3.", ".5", "1e-400",
    "2024-02-30", "2024-13-01", "0000-00-00", "9999-12-31", "2024-1-5", "2024-02-29T12:00:00Z",
    "~", "null", "true", "no", "on", "other", "", "''", '""', "[]", "{}", "[1, [2, [3]]]",
    "[", "]", "{", "}", "'", '"', "\\", "|", ">", "- ", "? x", ": ", "#", "%YAML 1.1", "---", "...",
    '"\\e[31mred"', '"\\x9b2J"', '"a\\rb"', '"\\u202eevil"', '"\\0"', '"\\x07"', '"\\N"', '"\\L"',
    '"\\uD800"', '"\\U0010FFFF"', '"\\U00110000"', "\t", "\ufeff", "\u2028", "\u00a0", "😀" * 50,
    "格尔木" * 2000, "a" * 100_000, "[" * 300 + "]" * 300, "{a: " * 80 + "b" + "}" * 80,
    "<w:p>&amp;</w:t>", "]]>", "<![CDATA[x]]>", "=HYPERLINK(\"http://x\")", "@SUM(A1)",
    "../../../etc/passwd", "/etc/shadow", "C:\\x", "attachments/../x", "attachments/",
]



SCALAR = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=30),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates(min_value=dt.date(1, 1, 1)).map(dt.date.isoformat),
    st.floats().map(repr),
)



HOSTILE_LINES = [
    "extra_key: 1", "Stage: filed", "stage: filed", "history: null", "documents: []",
    "id: ../../etc", "id: 2024-smart-parking", "schema_version: 99", "  - stage: accepted",
    "    role: ndrc", "  - {stage: accepted, date: 2026-12-31, role: ndrc}", "? [a]\n: b",
    "%TAG ! tag:evil.example,2024:", "--- !!python/object:os.system", "a: &x 1\nb: *x",
    "x: " + "[" * 2000 + "]" * 2000, "\t- tab", "key with spaces: 1", "键: 值",
]



@st.composite
def mutated(draw: st.DrawFn, base: str = FILED) -> bytes:
    """A valid file with a few edits of the kind editors and people make."""
    lines = base.splitlines(keepends=True)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        if not lines:
            break
        i = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        op = draw(st.sampled_from(["value", "value", "drop", "double", "indent", "insert", "swap", "cut"]))
        if op == "value" and ":" in lines[i]:
            key = lines[i].partition(":")[0]
            lines[i] = f"{key}: {draw(SCALAR)}\n"
        elif op == "drop":
            del lines[i]
        elif op == "double":
            lines.insert(i, lines[i])
        elif op == "indent":
            lines[i] = draw(st.sampled_from([" ", "  ", "\t", "    "])) + lines[i]
        elif op == "insert":
            lines.insert(i, draw(st.sampled_from(HOSTILE_LINES) | st.text(max_size=40)) + "\n")
        elif op == "swap":
            j = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "cut":
            lines = lines[:i]
    raw = "".join(lines).encode("utf-8", "surrogatepass")
    how = draw(st.sampled_from(["as is"] * 6 + ["crlf", "bom", "latin1", "bytes", "bom twice", "truncate"]))
    if how == "crlf":
        raw = raw.replace(b"\n", b"\r\n")
    elif how == "bom":
        raw = b"\xef\xbb\xbf" + raw
    elif how == "bom twice":
        raw = b"\xef\xbb\xbf\xef\xbb\xbf" + raw
    elif how == "latin1":
        raw = "".join(lines).encode("gb18030", "replace")  # a Windows editor's "ANSI"
    elif how == "bytes" and raw:
        at = draw(st.integers(min_value=0, max_value=len(raw)))
        raw = raw[:at] + draw(st.binary(min_size=1, max_size=8)) + raw[at:]
    elif how == "truncate" and raw:
        raw = raw[: draw(st.integers(min_value=0, max_value=len(raw)))]
    return raw



KEYS = sorted({k for path in ((), ("documents",), ("documents", "contract"), ("history", 0),
                              ("extensions", 0), ("rectifications", 0), ("contact",), ("cloud",),
                              ("mlps",), ("schedule",)) for k in known_keys(path)})



VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
    | st.dates().map(dt.date.isoformat) | st.sampled_from(HOSTILE[:60]),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8),
                                                               kids, max_size=5),
    max_leaves=25,
)



@st.composite
def generated(draw: st.DrawFn) -> bytes:
    """Dossier-shaped YAML over the model's own keys, in flow (JSON) or block style."""
    data = draw(st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=12))
    if draw(st.booleans()):
        data.update({"schema_version": 1, "id": PID, "name": "x", "unit": "y", "stage": "draft",
                     "history": []} if draw(st.booleans()) else {})
    if draw(st.booleans()):
        return json.dumps(data, ensure_ascii=False, default=str).encode("utf-8", "surrogatepass")
    import io

    from ruamel.yaml import YAML

    buf = io.StringIO()
    y = YAML(typ="safe", pure=True)
    y.default_flow_style = False
    try:
        y.dump(data, buf)
    except Exception:  # a float or key the emitter refuses: fall back to JSON
        return json.dumps(data, ensure_ascii=False, default=str).encode("utf-8", "surrogatepass")
    return buf.getvalue().encode("utf-8", "surrogatepass")



@st.composite
def big_or_deep(draw: st.DrawFn) -> bytes:
    n = draw(st.integers(min_value=1, max_value=20_000))
    kind = draw(st.sampled_from(["flow list", "flow map", "block map", "block list", "long value",
                                 "many keys", "many history", "long line"]))
    if kind == "flow list":
        return b"name: " + b"[" * n + b"]" * n + b"\n"
    if kind == "flow map":
        return b"name: " + b"{a: " * n + b"b" + b"}" * n + b"\n"
    if kind == "block map":
        return "".join(f"{'  ' * i}k{i}:\n" for i in range(min(n, 3000))).encode()
    if kind == "block list":
        return "".join(f"{'  ' * i}-\n" for i in range(min(n, 3000))).encode()
    if kind == "long value":
        return FILED.replace("name: 格尔木市智慧停车管理平台", "name: " + "停" * (n * 10)).encode()
    if kind == "many keys":
        return (FILED + "".join(f"x{i}: {i}\n" for i in range(n))).encode()
    if kind == "many history":
        entries = "".join("  - stage: filed\n    date: 2024-04-25\n    role: gov_office\n" for _ in range(n))
        return FILED.replace("extensions: []", entries + "extensions: []").encode()
    return ("name: " + "x" * (n * 50) + "\n").encode()
