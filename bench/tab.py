"""A browser tab without the browser: Streamlit's websocket protocol, spoken as its frontend speaks it.

The frontend opens ``/_stcore/stream`` and asks for script runs with ``BackMsg.rerun_script``: the
page (its URL path, then the hash the server named), the query string, and the value of every
widget the tab shows. The server answers each run with ``new_session``, the run's deltas and
``script_finished``. A tab here keeps what the frontend keeps for this: each widget's value as
drawn or as set by the server (``set_value``), widgets by their key (user keys end the element
id), the query string the server last set, the timers of ``st.fragment(run_every=...)``, and the
metrics on screen. Widget values travel as their formatted labels, as Streamlit 1.67 serialises
radios, pills and segmented controls. Only the elements the benchmarks touch are understood;
other widgets are left to the server's memory of them, which is what it falls back on too.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED = ForwardMsg.FINISHED_SUCCESSFULLY
FRAGMENT_FINISHED = ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
EARLY_FOR_RERUN = ForwardMsg.FINISHED_EARLY_FOR_RERUN


@dataclass
class Widget:
    """One widget on screen: its element id, its kind, its options' labels, its value."""

    id: str
    kind: str  # "radio", "button_group" or "button"
    options: list[str]
    value: list[str] = field(default_factory=list)  # formatted labels; empty: nothing chosen
    fragment: str = ""  # the fragment it is drawn in: a change reruns that fragment alone


@dataclass
class Run:
    """What one full script run (or fragment run) of this tab ended with, and when."""

    status: int
    finished_at: float
    fragment: bool
    fragments: tuple[str, ...] = ()  # the fragments a fragment run ran


class TabError(RuntimeError):
    """The server closed the tab, reported an exception, or could not find the page."""


class Tab:
    """One websocket session at ``url`` (``http://host:port``), on page ``path`` with ``query``."""

    def __init__(self, url: str, path: str, query: str = "") -> None:
        self.base = url.rstrip("/")
        self.page_name = path
        self.page_hash = ""
        self.query = query
        self.widgets: dict[str, Widget] = {}  # element id -> widget
        self.metrics: dict[str, str] = {}  # metric label -> value shown
        self.exceptions: list[str] = []
        # When each fragment run finished (monotonic seconds), and the metrics on screen then.
        self.fragment_history: list[tuple[float, dict[str, str]]] = []
        self.runs_finished = 0  # script runs the server finished for this tab, of every kind
        self.last_run: Run | None = None
        self.set_by_server: set[str] = set()  # widgets whose value the server has set (set_value)
        self.timer_intervals: dict[str, float] = {}  # fragment id -> seconds, as its timer runs now
        self._seen: set[str] = set()  # widget ids drawn in the run in progress
        self._fragment_run = False
        self._run_fragments: tuple[str, ...] = ()
        self._finished: asyncio.Queue[Run] = asyncio.Queue()
        self._timers: dict[str, asyncio.Task[None]] = {}
        self._socket: websockets.ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None

    # --- connecting ---------------------------------------------------------------------------

    async def open(self) -> float:
        """Connect and run the page, as a browser opening the link; seconds until it is drawn."""
        await self.connect()
        return await self.rerun()

    async def connect(self) -> None:
        """Open a session on the server without asking for a run (``open`` asks for one)."""
        parts = urlsplit(self.base)
        scheme = "wss" if parts.scheme == "https" else "ws"
        # The frontend names its protocol "streamlit" (later entries carry tokens it has none of).
        self._socket = await websockets.connect(
            f"{scheme}://{parts.netloc}{parts.path}/_stcore/stream",
            subprotocols=[websockets.Subprotocol("streamlit")],
            max_size=None,
            open_timeout=60,
        )
        self._reader = asyncio.create_task(self._read())

    async def close(self) -> None:
        self._stop_timers()
        if self._socket is not None:
            await self._socket.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)

    # --- acting as a person would -------------------------------------------------------------

    def widget(self, key: str) -> Widget:
        """The widget drawn with this user key (its element id ends with ``-key``)."""
        for widget in self.widgets.values():
            if widget.id.endswith(f"-{key}"):
                return widget
        raise TabError(f"no widget with key {key!r} on {self.page_name}")

    def has_widget(self, key: str) -> bool:
        return any(widget.id.endswith(f"-{key}") for widget in self.widgets.values())

    async def choose(self, key: str, label: str) -> float:
        """Choose the option with this label, as a tap does; seconds until the run it causes ends
        (the run of the widget's fragment alone when it is drawn in one)."""
        widget = self.widget(key)
        if label not in widget.options:
            raise TabError(f"{key!r} has no option {label!r}: {widget.options}")
        widget.value = [label]
        return await self.rerun(fragment=widget.fragment)

    async def press(self, key: str) -> float:
        """Press a button; seconds until the run it causes (and any page it leads to) ends."""
        return await self.rerun(triggers=[self.widget(key).id])

    async def rerun(self, triggers: Iterable[str] = (), timeout: float = 120, fragment: str = "") -> float:
        """Ask for a full run (or ``fragment``'s run) with the tab's widget values and wait until the
        server is done with it: past runs ended early by ``st.rerun`` or ``st.switch_page``, to the
        last one.

        ``TabError`` when no such run has finished within ``timeout`` seconds (other fragments'
        runs do not count: their timers keep finishing while the run asked for never comes). A
        fragment's run that ended early is done once the run that replaced it is: Streamlit may
        end it for another fragment's run (a timer's) asked for meanwhile.
        """
        self._drain()
        start = time.perf_counter()
        await self._send(self._client_state(triggers=list(triggers), fragment_id=fragment, timer=False))
        replaced = False
        while True:
            left = start + timeout - time.perf_counter()
            try:
                run = await asyncio.wait_for(self._finished.get(), timeout=max(left, 0.001))
            except TimeoutError:
                raise TabError(f"{self.page_name}: no run finished within {timeout:.0f} s") from None
            if run.status == EARLY_FOR_RERUN:
                replaced = replaced or bool(fragment and fragment in run.fragments)
                continue
            if run.fragment and not replaced and (not fragment or fragment not in run.fragments):
                continue
            if self.exceptions:
                raise TabError(f"{self.page_name}: {self.exceptions[-1]}")
            return time.perf_counter() - start

    async def send_run(self, fragment: str = "", triggers: Iterable[str] = ()) -> None:
        """Ask for a full run (or ``fragment``'s run) with the tab's widget values, without waiting:
        a message the server may drop, as it drops a fragment's run it does not know, or that may
        reach it while the run asked for before is still going."""
        await self._send(self._client_state(list(triggers), fragment_id=fragment, timer=False))

    # --- the protocol ---------------------------------------------------------------------------

    def _client_state(self, triggers: list[str], fragment_id: str = "", timer: bool = True) -> BackMsg:
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_hash
        state.page_name = self.page_name
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-US"
        state.context_info.url = f"{self.base}/{self.page_name}" + (f"?{self.query}" if self.query else "")
        if fragment_id:
            state.fragment_id = fragment_id
            state.is_auto_rerun = timer
        for widget in self.widgets.values():
            if widget.kind == "button":
                continue
            if not widget.value:  # nothing chosen: the frontend sends no value either
                continue
            entry = WidgetState(id=widget.id)
            if widget.kind == "radio":
                entry.string_value = widget.value[0]
            else:
                entry.string_array_value.data.extend(widget.value)
            state.widget_states.widgets.append(entry)
        for widget_id in triggers:
            state.widget_states.widgets.append(WidgetState(id=widget_id, trigger_value=True))
        return message

    async def _send(self, message: BackMsg) -> None:
        assert self._socket is not None, "open() the tab first"
        await self._socket.send(message.SerializeToString())

    def _drain(self) -> None:
        while not self._finished.empty():
            self._finished.get_nowait()

    async def _read(self) -> None:
        assert self._socket is not None
        try:
            async for data in self._socket:
                message = ForwardMsg()
                message.ParseFromString(data if isinstance(data, bytes) else data.encode())
                self._handle(message)
        except websockets.ConnectionClosed:
            pass
        finally:
            # Whoever waits for a run learns that none will come.
            self.exceptions.append("connection closed")
            self._finished.put_nowait(Run(FINISHED, time.perf_counter(), fragment=False))

    def _handle(self, message: ForwardMsg) -> None:
        kind = message.WhichOneof("type")
        if kind == "new_session":
            self.page_hash = message.new_session.page_script_hash
            self._run_fragments = tuple(message.metadata.run.fragment_ids)
            self._fragment_run = bool(self._run_fragments)
            if not self._fragment_run:
                self._seen = set()
                self._stop_timers()  # as the frontend does: the run sets the timers it draws again
        elif kind == "navigation":
            # A multipage app names the page it ran here: the hash to ask for, the path it shows.
            navigation = message.navigation
            self.page_hash = navigation.page_script_hash
            for page in navigation.app_pages:
                if page.page_script_hash == navigation.page_script_hash:
                    self.page_name = page.url_pathname
        elif kind == "delta":
            self._delta(message)
        elif kind == "page_info_changed":
            self.query = message.page_info_changed.query_string
        elif kind == "auto_rerun":
            self._start_timer(message.auto_rerun.interval, message.auto_rerun.fragment_id)
        elif kind == "stop_auto_rerun":
            for fragment_id in message.stop_auto_rerun.fragment_ids:
                timer = self._timers.pop(fragment_id, None)
                if timer is not None:
                    timer.cancel()
                self.timer_intervals.pop(fragment_id, None)
        elif kind == "page_not_found":
            self.exceptions.append(f"page not found: {self.page_name}")
        elif kind == "script_finished":
            status = message.script_finished
            fragment = status == FRAGMENT_FINISHED
            if status == FINISHED:
                # The frontend forgets widgets the finished run no longer drew.
                self.widgets = {key: widget for key, widget in self.widgets.items() if key in self._seen}
            if fragment:
                self.fragment_history.append((time.monotonic(), dict(self.metrics)))
            self.runs_finished += 1
            self.last_run = Run(status, time.perf_counter(), fragment, self._run_fragments)
            self._finished.put_nowait(self.last_run)

    def _delta(self, message: ForwardMsg) -> None:
        delta = message.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element: Element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.exceptions.append(f"{element.exception.type}: {element.exception.message}")
        elif kind == "metric":
            self.metrics[element.metric.label] = element.metric.body
        elif kind == "radio":
            radio = element.radio
            self._widget(radio.id, "radio", list(radio.options), delta.fragment_id)
            widget = self.widgets[radio.id]
            if radio.set_value:
                self.set_by_server.add(radio.id)
                widget.value = [radio.raw_value] if radio.HasField("raw_value") else []
            elif not widget.value and radio.HasField("default"):
                widget.value = [radio.options[radio.default]]
        elif kind == "button_group":
            group = element.button_group
            options = [option.content for option in group.options]
            self._widget(group.id, "button_group", options, delta.fragment_id)
            widget = self.widgets[group.id]
            if group.set_value:
                self.set_by_server.add(group.id)
                widget.value = list(group.raw_values)
            elif not widget.value and group.default:
                widget.value = [options[index] for index in group.default]
        elif kind == "button":
            self._widget(element.button.id, "button", [], delta.fragment_id)

    def _widget(self, widget_id: str, kind: str, options: list[str], fragment: str) -> None:
        self._seen.add(widget_id)
        known = self.widgets.get(widget_id)
        if known is None:
            self.widgets[widget_id] = Widget(widget_id, kind, options, fragment=fragment)
        else:
            known.options = options
            known.fragment = fragment

    def _stop_timers(self) -> None:
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        self.timer_intervals.clear()

    def _start_timer(self, interval: float, fragment_id: str) -> None:
        self.timer_intervals[fragment_id] = interval
        previous = self._timers.pop(fragment_id, None)
        if previous is not None:
            previous.cancel()
        self._timers[fragment_id] = asyncio.create_task(self._every(interval, fragment_id))

    async def _every(self, interval: float, fragment_id: str) -> None:
        """The frontend's timer for ``st.fragment(run_every=...)``: ask for the fragment's run."""
        try:
            while True:
                await asyncio.sleep(interval)
                await self._send(self._client_state([], fragment_id=fragment_id))
        except (asyncio.CancelledError, websockets.ConnectionClosed):
            return
