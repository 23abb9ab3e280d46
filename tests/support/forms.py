"""Filing-form fixtures: a filed dossier's YAML, its repository, gtx form run in-process."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from golmud_cli.commands import form as form_cmd
from golmud_cli.commands import run_guarded
from golmud_cli.core.model import Dossier
from golmud_cli.edges import form
from tests.conftest import ROOT

FULL_YAML = """\
schema_version: 1
id: {id}
name: 格尔木市智慧停车管理平台
unit: 格尔木市公安局交通警察大队
contact:
  name: 张三
  phone: "0979-8412345"
budget_wan: 320.5
funding_source: municipal
schedule:
  start: 2024-06-03
  duration_months: 8
basis: 《格尔木市数字政府建设规划（2023—2025年）》
mlps:
  level: 2
systems:
  count: 2
  type: custom
data_resources:
  needed: true
  catalog_written: false
operating_cost_wan: 25
cloud:
  deployed: true
  operator: 格尔木市电子政务云运维中心
network: internet
stage: approved
history: []
"""



PARTIAL_YAML = """\
schema_version: 1
id: {id}
name: 格尔木市社会救助一体化信息平台
unit: 格尔木市民政局
contact:
  name: 马晓琴
budget_wan: 545
funding_source: municipal
stage: draft
history: []
"""



def make_repo(tmp_path: Path, text: str, pid: str = "2024-smart-parking") -> Path:
    (tmp_path / "gtx.yaml").write_text("city: 格尔木市\n", "utf-8")
    folder = tmp_path / "dossiers" / pid
    folder.mkdir(parents=True)
    (folder / "project.yaml").write_text(text.format(id=pid), "utf-8")
    return tmp_path



@dataclass
class Outcome:
    code: int
    out: str
    err: str



@pytest.fixture
def gtx_form(capsys: pytest.CaptureFixture[str]) -> Any:
    """Run the command as the CLI does (through run_guarded) and capture its output."""

    def call(repo: Path, pid: str = "2024-smart-parking", lang: str = "zh", **kw: Any) -> Outcome:
        code = run_guarded(lambda lg: form_cmd.run(pid, repo=repo, lang=lg, **kw), lang)
        cap = capsys.readouterr()
        return Outcome(code, cap.out, cap.err)

    return call






TEMPLATE = ROOT / "templates" / "filing-form.docx"



BASE: dict[str, Any] = {
    "schema_version": 1,
    "id": "2024-smart-parking",
    "name": "格尔木市智慧停车管理平台",
    "unit": "格尔木市公安局交通警察大队",
    "contact": {"name": "张三", "phone": "0979-8412345"},
    "budget_wan": 320.5,
    "funding_source": "municipal",
    "funding_note": "2024年市级财政预算安排",
    "schedule": {"start": "2024-06-03", "duration_months": 8},
    "basis": "《格尔木市数字政府建设规划（2023—2025年）》",
    "mlps": {"level": 3, "note": ""},
    "systems": {"count": 2, "type": "custom"},
    "data_resources": {"needed": True, "catalog_written": True},
    "operating_cost_wan": 25,
    "cloud": {"deployed": True, "operator": "格尔木市电子政务云运维中心", "exemption_reason": ""},
    "network": "e_gov_extranet",
    "network_note": "",
    "stage": "approved",
    "history": [],
}



def dossier(**changes: Any) -> Dossier:
    data = copy.deepcopy(BASE)
    for key, value in changes.items():
        if "__" in key:
            outer, inner = key.split("__")
            data[outer][inner] = value
        elif value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return Dossier.model_validate(data)



def render(d: Dossier) -> bytes:
    return form.render_docx(TEMPLATE, form.build_context(d))
