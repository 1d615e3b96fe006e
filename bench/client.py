"""A Streamlit browser without the browser: the websocket protocol a page speaks, for load.

One `Tab` is one browser tab: it connects to `/_stcore/stream` with the tab's cookies, asks
for script runs with `BackMsg` (`rerun_script`, carrying the widget values it holds, a
button's trigger, or a fragment's timed rerun) and reads the `ForwardMsg`s back: the
elements drawn, the widgets among them, an exception if one is drawn, and the end of the
run. It keeps what a browser keeps between runs: the page, its widgets' values, the
fragments that rerun on a timer.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

WIDGETS = ("button", "multiselect", "selectbox", "text_input", "text_area", "number_input",
           "checkbox", "radio", "date_input", "segmented_control", "button_group", "toggle",
           "download_button", "slider", "data_editor")


class RunFailed(RuntimeError):
    """The page drew an exception, or the run did not finish in time."""


@dataclass
class Run:
    """One script run as the tab saw it: what was drawn, and how long it took."""

    seconds: float
    elements: list[Any] = field(default_factory=list)  # Element protos, in order drawn
    exceptions: list[str] = field(default_factory=list)
    redirect: str | None = None  # where the page sent the browser (auth_redirect)

    def widget(self, label: str, kind: str | None = None) -> Any:
        """The widget proto labelled `label` (its kind checked when given)."""
        for element in self.elements:
            kind_of = element.WhichOneof("type")
            inner = getattr(element, kind_of)
            if kind_of in WIDGETS and getattr(inner, "label", None) == label and (
                    kind is None or kind_of == kind):
                return inner
        raise LookupError(f"no widget {label!r} among {self.kinds()}")

    def kinds(self) -> list[str]:
        return [e.WhichOneof("type") for e in self.elements]

    def texts(self) -> str:
        """Every text, markdown, title and metric value drawn, as one string."""
        parts = []
        for element in self.elements:
            inner = getattr(element, element.WhichOneof("type"))
            for name in ("body", "label", "value"):
                value = getattr(inner, name, None)
                if isinstance(value, str):
                    parts.append(value)
        return "\n".join(parts)


class Tab:
    """One browser tab on a Streamlit server."""

    def __init__(self, base: str, cookies: dict[str, str] | None = None,
                 timeout: float = 120) -> None:
        self.base = base
        self.cookies = dict(cookies or {})
        self.timeout = timeout
        self.page_hash = ""
        self.page_name = ""
        self.query = ""
        self.widgets: dict[str, WidgetState] = {}  # the values this tab holds
        self.timers: dict[str, float] = {}  # fragment id -> seconds between its reruns
        self.pages: dict[str, str] = {}  # URL path -> page script hash, from the navigation
        self._socket: Any = None
        self._pending: asyncio.Queue[ForwardMsg] = asyncio.Queue()
        self._reader: asyncio.Task | None = None
        self._cache: dict[str, ForwardMsg] = {}  # large messages, sent later by their hash

    async def open(self, page: str = "", query: str = "") -> Run:
        """Open the app at `page` (its URL path) in a fresh session: the first run."""
        await self.close()
        url = self.base.replace("http", "ws", 1) + "/_stcore/stream"
        headers = {"Origin": self.base}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self._socket = await websockets.connect(url, additional_headers=headers,
                                                    subprotocols=["streamlit"], max_size=None,
                                                    open_timeout=self.timeout)
        except websockets.exceptions.InvalidStatus as refused:  # a browser sees an error page
            raise RunFailed(f"connection refused: {refused}") from refused
        self._pending = asyncio.Queue()
        self._reader = asyncio.create_task(self._read())
        self.page_name, self.page_hash, self.query, self.widgets = page, "", query, {}
        return await self._run(self._rerun_message())

    async def go(self, page: str, query: str = "") -> Run:
        """Open another page in the same session, as clicking the menu (or a link) does."""
        self.page_name, self.page_hash, self.query = page, self.pages.get(page, ""), query
        self.widgets = {}
        return await self._run(self._rerun_message())

    async def rerun(self) -> Run:
        """A rerun with the widget values the tab holds (a reload of the same session)."""
        return await self._run(self._rerun_message())

    async def set(self, widget: Any, field_name: str, value: Any) -> Run:
        """Change a widget (a proto from `Run.widget`) and rerun, as a browser does."""
        state = WidgetState(id=widget.id)
        if field_name == "string_array_value":
            state.string_array_value.data.extend(value)
        elif field_name == "int_array_value":
            state.int_array_value.data.extend(value)
        else:
            setattr(state, field_name, value)
        if getattr(widget, "form_id", ""):  # a form's fields wait for its submit button
            self.widgets[widget.id] = state
            return Run(0.0)
        self.widgets[widget.id] = state
        return await self._run(self._rerun_message())

    async def click(self, button: Any) -> Run:
        """Press a button (a form's submit button sends the form's fields with it)."""
        message = self._rerun_message()
        message.rerun_script.widget_states.widgets.append(
            WidgetState(id=button.id, trigger_value=True))
        return await self._run(message)

    async def tick(self, fragment_id: str) -> Run:
        """A fragment's timed rerun, as the browser sends it every `run_every`."""
        message = self._rerun_message()
        message.rerun_script.fragment_id = fragment_id
        message.rerun_script.is_auto_rerun = True
        return await self._run(message)

    def _rerun_message(self) -> BackMsg:
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_hash
        state.page_name = self.page_name
        state.widget_states.widgets.extend(self.widgets.values())
        return message

    async def _run(self, message: BackMsg) -> Run:
        started = time.perf_counter()
        await self._socket.send(message.SerializeToString())
        run = Run(0.0)
        deadline = started + self.timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise RunFailed(f"no end of the run within {self.timeout} s")
            try:
                forward = await asyncio.wait_for(self._pending.get(), remaining)
            except TimeoutError as error:
                raise RunFailed(f"no end of the run within {self.timeout} s") from error
            if forward is None:
                raise RunFailed("the server closed the connection")
            kind = forward.WhichOneof("type")
            if kind == "ref_hash":  # a message this tab was sent before, by its hash
                forward, kind = self._cache[forward.ref_hash], "delta"
            elif forward.metadata.cacheable:
                self._cache[forward.hash] = forward
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                run.elements.append(element)
                if element.WhichOneof("type") == "exception":
                    run.exceptions.append(element.exception.message)
            elif kind == "page_info_changed":
                self.query = forward.page_info_changed.query_string
            elif kind == "navigation":  # the page this run drew, and every page's address
                self.page_hash = forward.navigation.page_script_hash
                self.pages = {p.url_pathname: p.page_script_hash
                              for p in forward.navigation.app_pages}
            elif kind == "auto_rerun":
                self.timers[forward.auto_rerun.fragment_id] = forward.auto_rerun.interval
            elif kind == "auth_redirect":
                run.redirect = forward.auth_redirect.url
            elif kind == "session_event" and forward.session_event.WhichOneof("type") == \
                    "script_compilation_exception":
                run.exceptions.append("compilation failed")
            elif kind == "script_finished":
                status = forward.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    run.elements.clear()
                    continue
                run.seconds = time.perf_counter() - started
                return run

    async def _read(self) -> None:
        try:
            async for frame in self._socket:
                if isinstance(frame, bytes):
                    self._pending.put_nowait(ForwardMsg.FromString(frame))
        except websockets.ConnectionClosed:
            pass
        finally:
            self._pending.put_nowait(None)

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()
            self._socket = None
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)
            self._reader = None
