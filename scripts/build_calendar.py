"""Write golmud_cli/data/calendar-cn.json: China's official calendar as the installed
`holidays` package gives it, shipped so that a run need not import the package
(edges/calendar.py). `make calendar` runs this; run it after upgrading `holidays`:
a table made by another version than the installed one is never used, so a stale
one costs time, not correctness (tests/edges/test_calendar_shipped.py)."""

from __future__ import annotations

from importlib.metadata import version

from golmud_cli.core.periods import calendar_from_package
from golmud_cli.edges.calendar import SHIPPED, encode


def main() -> None:
    package = version("holidays")
    SHIPPED.write_text(encode(calendar_from_package(), package) + "\n", "utf-8")
    print(f"{SHIPPED}: holidays {package}")


if __name__ == "__main__":
    main()
