"""One module per subcommand, each a `run(...) -> int` returning the exit code.

`run_guarded` is the one place that maps errors to exit codes (docs/cli.md): a user
error prints its bilingual message (exit 2, or 1 for a refusal), Ctrl-C is 130,
anything else one short line and a hint (exit 3), a traceback only with GTX_DEBUG=1.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from golmud_cli.errors import EXIT_INTERNAL, GtxError
from golmud_cli.reporters.errors import error as _err


def run_guarded(fn: Callable[[str], int], lang: str) -> int:
    try:
        return fn(lang)
    except GtxError as e:
        _err(e.message(lang))
        return e.exit_code
    except KeyboardInterrupt:
        _err("已中断。" if lang == "zh" else "interrupted.")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as e:
        if os.environ.get("GTX_DEBUG") == "1":
            raise
        if lang == "en":
            _err(
                f"gtx: internal error: {type(e).__name__}: {e}\nhint: run again with GTX_DEBUG=1 "
                "for a traceback and report it."
            )
        else:
            _err(
                f"gtx：内部错误：{type(e).__name__}：{e}\n提示：设置 GTX_DEBUG=1 再运行可看到详细信息，请报告此问题。"
            )
        return EXIT_INTERNAL
