"""A small Chrome DevTools Protocol client over --remote-debugging-pipe (file
descriptors 3 and 4, NUL-separated JSON): no websocket library, no playwright.

`open_page(url)` loads a page in headless Chromium and returns what the browser
saw: console errors, uncaught exceptions, log entries (CSP violations land
there), every request that is not to file: or data:, and lets the test evaluate
JavaScript in the page and take a screenshot.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
]


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@dataclass
class Seen:
    console_errors: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    log_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)  # every URL requested

    @property
    def outside(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(("file:", "data:"))]


class Browser:
    def __init__(self, chromium: str, timeout: float = 30.0) -> None:
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="gtx-chromium-")
        to_child_r, self._w = os.pipe()
        self._r, from_child_w = os.pipe()

        def wire() -> None:  # the child's fd 3 reads our commands, fd 4 answers
            # via fds out of the way first: a pipe end may itself be 3 or 4
            a, b = os.dup(to_child_r), os.dup(from_child_w)
            a2, b2 = os.dup2(a, 200), os.dup2(b, 201)
            os.dup2(a2, 3)
            os.dup2(b2, 4)

        self.proc = subprocess.Popen(
            [chromium, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=wire,
            close_fds=False,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._buf = b""
        self._id = 0
        self.events: list[dict[str, Any]] = []

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._w)
        os.close(self._r)
        shutil.rmtree(self.profile, ignore_errors=True)

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._r], [], [], left)[0]:
                raise TimeoutError("no answer from Chromium")
            chunk = os.read(self._r, 1 << 20)
            if not chunk:
                raise EOFError("Chromium closed the pipe")
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        msg: dict[str, Any] = json.loads(raw)
        return msg

    def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self._id += 1
        msg: dict[str, Any] = {"id": self._id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            answer = self._read(deadline)
            if answer.get("id") == self._id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                result: dict[str, Any] = answer.get("result", {})
                return result
            self.events.append(answer)

    def wait_for(self, method: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not any(e.get("method") == method for e in self.events):
            self.events.append(self._read(deadline))


class Page:
    def __init__(self, browser: Browser, session: str, seen: Seen) -> None:
        self.browser, self.session, self.seen = browser, session, seen

    def eval(self, expression: str) -> Any:
        res = self.browser.send(
            "Runtime.evaluate", self.session, expression=expression, returnByValue=True
        )
        return res["result"].get("value")

    def screenshot(self, path: Path, width: int = 1280, height: int = 1600) -> None:
        self.browser.send(
            "Emulation.setDeviceMetricsOverride",
            self.session,
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        data = self.browser.send("Page.captureScreenshot", self.session, format="png")["data"]
        path.write_bytes(base64.b64decode(data))


def open_page(browser: Browser, url: str) -> Page:
    browser.events.clear()
    target = browser.send("Target.createTarget", url="about:blank")["targetId"]
    session = browser.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
    for domain in ("Runtime", "Log", "Network", "Page"):
        browser.send(f"{domain}.enable", session)
    browser.events.clear()
    browser.send("Page.navigate", session, url=url)
    browser.wait_for("Page.loadEventFired", browser.timeout)
    # a moment for late errors (a CSP report arrives after the load event)
    end = time.monotonic() + 0.5
    while time.monotonic() < end:
        try:
            browser.events.append(browser._read(end))
        except TimeoutError:
            break
    seen = Seen()
    for e in browser.events:
        m, p = e.get("method"), e.get("params", {})
        if e.get("sessionId") not in (None, session):
            continue
        if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            seen.console_errors.append(json.dumps(p.get("args"), ensure_ascii=False))
        elif m == "Runtime.exceptionThrown":
            seen.exceptions.append(json.dumps(p.get("exceptionDetails"), ensure_ascii=False))
        elif m == "Log.entryAdded" and p["entry"].get("level") == "error":
            seen.log_errors.append(p["entry"].get("text", ""))
        elif m == "Network.requestWillBeSent":
            seen.requests.append(p["request"]["url"])
    return Page(browser, session, seen)
