"""Headless Chromium (Debian's ``chromium`` package) driven over the DevTools protocol with aiohttp's websockets.

Just enough of the protocol for the staff pages' tests: open a tab, go to a page, type into fields, click,
read the page, take a screenshot, allow downloads, and run axe-core. No Selenium, no Playwright: they would
want browsers of their own, and this machine has Debian's.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
AXE_PATHS = (ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js",)
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--mute-audio",
    "--hide-scrollbars",
    "--remote-debugging-port=0",
)


def missing(what: str) -> None:
    """Skip on a developer's machine without it; fail in CI, where .ci/run must have installed it."""
    message = f"{what} (`make test` and .ci/run install it)"
    if IN_CI:
        pytest.fail(f"required in CI: {message}", pytrace=False)
    pytest.skip(f"not available: {message}")


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    missing("Chromium: apt-get install chromium")
    raise AssertionError("unreachable")


def axe_source() -> str:
    for path in AXE_PATHS:
        if path.exists():
            return path.read_text(encoding="utf-8")
    missing("axe-core: npm install --prefix .cache/npm axe-core@4")
    raise AssertionError("unreachable")


@contextlib.contextmanager
def running_chromium() -> Iterator[str]:
    """Start Chromium; yield its DevTools websocket URL; stop it."""
    binary = chromium_path()
    profile = tempfile.mkdtemp(prefix="tilfreds-chromium-")
    proc = subprocess.Popen(
        [binary, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        url = None
        seen = []
        while time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line and proc.poll() is not None:
                break
            seen.append(line)
            found = re.search(r"DevTools listening on (ws://\S+)", line)
            if found:
                url = found.group(1)
                break
        if url is None:
            raise RuntimeError("Chromium did not start:\n" + "".join(seen[-20:]))
        # Keep reading stderr so Chromium never blocks on a full pipe.
        drain = subprocess.Popen(["cat"], stdin=proc.stderr, stdout=subprocess.DEVNULL)
        try:
            yield url
        finally:
            drain.kill()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(profile, ignore_errors=True)


class Tab:
    """One page target, attached over a flat DevTools session."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse, session_id: str, browser: Browser) -> None:
        self._ws = ws
        self.session_id = session_id
        self._browser = browser

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        return await self._browser.send(method, session_id=self.session_id, **params)

    async def goto(self, url: str) -> None:
        await self.send("Page.navigate", url=url)
        await self.wait_loaded()

    async def wait_loaded(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        await asyncio.sleep(0.05)
        while time.monotonic() < deadline:
            state = await self.eval("document.readyState")
            if state == "complete":
                return
            await asyncio.sleep(0.05)
        raise TimeoutError("page did not finish loading")

    async def eval(self, expression: str, *, await_promise: bool = False) -> Any:
        reply = await self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=await_promise
        )
        if "exceptionDetails" in reply:
            raise RuntimeError(f"JavaScript error: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    async def url(self) -> str:
        return await self.eval("location.href")

    async def text(self) -> str:
        return await self.eval("document.body.innerText")

    async def html(self) -> str:
        return await self.eval("document.documentElement.outerHTML")

    async def fill(self, selector: str, value: str) -> None:
        """Focus a field and type into it, as a person would."""
        await self.eval(f"document.querySelector({json.dumps(selector)}).focus()")
        await self.eval(
            f"document.querySelector({json.dumps(selector)}).select && "
            f"document.querySelector({json.dumps(selector)}).select()"
        )
        await self.send("Input.insertText", text=value)

    async def choose(self, selector: str, value: str) -> None:
        await self.eval(
            f"(() => {{ const s = document.querySelector({json.dumps(selector)}); "
            f"s.value = {json.dumps(value)}; return s.value; }})()"
        )

    async def click(self, selector: str, *, navigates: bool = True) -> None:
        """A real mouse click in the middle of the element (scrolled into view first)."""
        box = await self.eval(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
            " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
            " return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        if box is None:
            raise AssertionError(f"nothing matches {selector}")
        before = await self.eval("performance.timeOrigin")
        for kind in ("mousePressed", "mouseReleased"):
            await self.send("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)
        if navigates:
            await self.wait_navigated(before)

    async def wait_navigated(self, before: float) -> None:
        """Wait until a new document (``performance.timeOrigin`` other than ``before``) has loaded."""
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with contextlib.suppress(RuntimeError):
                if await self.eval("performance.timeOrigin") != before:
                    break
            await asyncio.sleep(0.05)
        await self.wait_loaded()

    async def press(self, key: str = "Tab", *, navigates: bool = False) -> str:
        """Press Tab, Enter, Space (" ") or ArrowDown; return a short description of what has the focus then
        (with ``navigates``, wait for the page the key opens first)."""
        code = {"Tab": 9, "Enter": 13, " ": 32, "ArrowDown": 40}[key]
        name = {" ": "Space"}.get(key, key)
        extra = {"text": {"Enter": "\r", " ": " "}[key]} if key in ("Enter", " ") else {}
        before = await self.eval("performance.timeOrigin") if navigates else None
        await self.send(
            "Input.dispatchKeyEvent", type="keyDown", key=key, code=name, windowsVirtualKeyCode=code, **extra
        )
        await self.send("Input.dispatchKeyEvent", type="keyUp", key=key, code=name, windowsVirtualKeyCode=code)
        if before is not None:
            await self.wait_navigated(before)
        await asyncio.sleep(0.05)
        return await self.eval(
            "(() => { const e = document.activeElement; "
            "return e ? e.tagName.toLowerCase() + ':' + (e.innerText || e.name || e.id || '') : ''; })()"
        )

    async def viewport(self, width: int, height: int, *, mobile: bool = False) -> None:
        await self.send(
            "Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=mobile
        )

    async def screenshot(self, name: str, *, full_page: bool = True) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        params: dict[str, Any] = {"format": "png", "captureBeyondViewport": full_page}
        if full_page:
            size = await self.eval("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
            params["clip"] = {"x": 0, "y": 0, "width": size[0], "height": min(size[1], 6000), "scale": 1}
        reply = await self.send("Page.captureScreenshot", **params)
        path = ARTIFACTS / f"{name}.png"
        path.write_bytes(base64.b64decode(reply["data"]))
        return path

    async def axe(self, source: str) -> list[dict[str, Any]]:
        """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the page; return its violations."""
        if not await self.eval("typeof window.axe === 'object'"):
            await self.eval(source)
        result = await self.eval(
            "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', "
            "'best-practice']}}).then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, "
            "nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))",
            await_promise=True,
        )
        return result


class Browser:
    """A DevTools connection to a running Chromium."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self._ws = ws
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future] = {}
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self._ws:
            if message.type != aiohttp.WSMsgType.TEXT:
                continue
            data = json.loads(message.data)
            future = self._pending.pop(data.get("id", -1), None)
            if future is not None and not future.done():
                future.set_result(data)

    async def send(self, method: str, session_id: str | None = None, **params: Any) -> dict[str, Any]:
        call_id = next(self._ids)
        future = asyncio.get_running_loop().create_future()
        self._pending[call_id] = future
        message: dict[str, Any] = {"id": call_id, "method": method, "params": params}
        if session_id:
            message["sessionId"] = session_id
        await self._ws.send_str(json.dumps(message))
        reply = await asyncio.wait_for(future, 30)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    async def new_tab(self, download_dir: Path | None = None) -> Tab:
        # Each tab in a context of its own: its own cookies, like a fresh browser profile.
        context = (await self.send("Target.createBrowserContext", disposeOnDetach=True))["browserContextId"]
        target = await self.send("Target.createTarget", url="about:blank", browserContextId=context)
        attached = await self.send("Target.attachToTarget", targetId=target["targetId"], flatten=True)
        tab = Tab(self._ws, attached["sessionId"], self)
        await tab.send("Page.enable")
        await tab.send("Runtime.enable")
        await tab.send("Page.setBypassCSP", enabled=True)  # to inject axe-core; the pages themselves run no script
        if download_dir is not None:
            await self.send(
                "Browser.setDownloadBehavior",
                behavior="allow",
                downloadPath=str(download_dir),
                browserContextId=context,
            )
        return tab

    async def close(self) -> None:
        self._reader.cancel()
        await self._ws.close()


@contextlib.asynccontextmanager
async def connect(ws_url: str) -> AsyncIterator[Browser]:
    async with aiohttp.ClientSession() as http, http.ws_connect(ws_url, max_msg_size=64 * 1024 * 1024) as ws:
        browser = Browser(ws)
        try:
            yield browser
        finally:
            await browser.close()


async def wait_for_file(folder: Path, suffix: str, timeout: float = 20) -> Path:
    """A finished download in ``folder`` (Chromium writes ``.crdownload`` until it is complete)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in os.listdir(folder) if p.endswith(suffix)]  # .crdownload until complete
        if done:
            return folder / done[0]
        await asyncio.sleep(0.1)
    raise TimeoutError(f"no {suffix} file was downloaded into {folder}")
