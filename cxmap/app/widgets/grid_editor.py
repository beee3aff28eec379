"""The grid that saves as it is edited: an ``st.data_editor`` whose every edit reruns the
page, which saves what the editor shows that is not saved yet (a
:class:`~cxmap.app.widgets.grid_ledger.GridLedger` says what that is) through
:func:`~cxmap.app.widgets.saving.save_steps`.

The editor keeps its table and its key while the user works in it: a save never re-creates
it, so edits typed while the last one was saving are not dropped, and the grid keeps its
scroll position, column and focus. It is drawn afresh from the database only when the user
acts outside it (another tab, the persona picker, Undo, a button beside a held edit, a
reload) after the map changed, or when it was not on screen in the last run.

In the browser, a small script (:data:`HELD_KEYS_JS`) gives a cell's editor the keys that
Streamlit's grid would otherwise drop while the editor opens and the grid takes the focus
back for a moment (what "Tam 9" for "Team 9" was): no edit reaches the server any other way.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from cxmap import services
from cxmap.app import shell
from cxmap.app.widgets.drawn import DrawnGrid
from cxmap.app.widgets.grid_ledger import GridLedger, Step
from cxmap.app.widgets.saving import generation, held, held_message, release, save_steps
from cxmap.core.context import Context
from cxmap.core.entities import entity
from cxmap.core.records import MapRecord, Record


@dataclass
class GridSession:
    """One grid as the user works in it: the editor's key and table, what is saved of it,
    the map's revision after its last save, and the last save in words."""

    key: str
    drawn: DrawnGrid
    ledger: GridLedger
    revision: int
    generation: int
    last_saved: str = ""
    behind: bool = False  # someone else changed the map since the grid was drawn
    seen_state: Any = None  # the editor's state at the last run (changed: the user typed)


_NO_EDITS: dict[str, Any] = {"edited_rows": {}, "added_rows": [], "deleted_rows": []}


def _slot(map_id: int, name: str) -> str:
    return f"grid_session_{map_id}_{name}"


def grid_session(map_id: int, name: str) -> GridSession | None:
    """The grid ``name`` of the map as it is being edited in this browser tab, if drawn."""
    found = st.session_state.get(_slot(map_id, name))
    return found if isinstance(found, GridSession) else None


def _save_pending(ctx: Context, map_id: int, name: str, session: GridSession, state: Any) -> None:
    """Save what the editor shows (``state``) that is not saved yet."""
    drawn = session.drawn
    steps = session.ledger.pending(
        state,
        entity=drawn.entity,
        to_values=drawn.columns.to_values,
        emotion_column=drawn.emotion_column,
        persona_id=drawn.persona_id,
    )
    if not steps and held(map_id, name) is None:
        return
    before = session.revision

    def saved(done: list[Step], results: list[Record | None]) -> None:
        # Right after the commit, before any st.* call (where the run may be stopped).
        session.ledger.settle(done, results, state)
        session.revision = services.map_revision(ctx, map_id) or session.revision

    summary = save_steps(ctx, map_id, name, steps, drawn, session.revision, saved)
    if summary:
        # One save is one revision: more means someone else saved in between.
        session.behind = session.behind or session.revision != before + 1
        session.last_saved = f"{summary} · {dt.datetime.now():%H:%M:%S}"


def _grid_changed(ctx: Context, map_id: int, name: str, key: str) -> None:
    """``on_change`` of a grid: save what it shows that is not saved yet (before the page
    runs, so Undo and the notes are up to date on the page)."""
    session = grid_session(map_id, name)
    state = st.session_state.get(key)
    if session is not None and session.key == key and state is not None:
        _save_pending(ctx, map_id, name, session, state)


def grid_editor(
    ctx: Context, journey: MapRecord, current: DrawnGrid, *, editable: bool = True
) -> None:
    """Draw a grid that saves as it is edited (``current``: as the map is now); for a viewer
    (``editable`` False) the same table read only, with no editor behind it.

    Its ``on_change`` saves each edit; the page's run saves again whatever the editor shows
    that is not saved yet, for when Streamlit cut a callback short to start a newer run.
    """
    if not editable:
        read_only_grid(current)
        return
    name = current.name
    session = grid_session(journey.id, name)
    state = st.session_state.get(session.key) if session is not None else None
    afresh = True
    if (
        session is not None
        and state is not None
        and session.generation == generation(journey.id, name)
    ):
        typed = state != (session.seen_state or _NO_EDITS)
        # Saved even when the grid starts afresh below (the user typed, then clicked).
        _save_pending(ctx, journey.id, name, session, state)
        session.seen_state = copy.deepcopy(state)
        # The user is typing in this grid: never redraw it under them (a note says when the
        # map has moved on). Otherwise they acted elsewhere: if the map changed meanwhile
        # (someone else, Undo), show it as it is now.
        if typed:
            session.behind = session.behind or current.revision > session.revision
        afresh = (
            session.drawn.variant != current.variant
            or session.ledger.lost_track
            or (not typed and current.revision != session.revision)
        )
    if afresh:
        gen = generation(journey.id, name)
        session = GridSession(
            key=shell.list_key(f"grid_{name}", journey.id, current.revision, current.variant, gen),
            drawn=current,
            ledger=GridLedger.of(
                current.rows, _editable(current), _defaults(current), _required(current)
            ),
            revision=current.revision,
            generation=gen,
        )
        st.session_state[_slot(journey.id, name)] = session
    assert session is not None
    drawn = session.drawn
    st.data_editor(
        drawn.frame,
        key=session.key,
        num_rows=drawn.num_rows,
        column_config=drawn.column_config,
        disabled=list(drawn.disabled),
        hide_index=True,
        width="stretch",
        height=grid_height(len(drawn.rows)),
        placeholder="—",
        on_change=_grid_changed,
        args=(ctx, journey.id, name, session.key),
    )
    with st.container(key=f"grid_status_{name}"):
        if session.last_saved:
            st.caption(f"✓ Saved: {shell.md_escape(session.last_saved)}")
    # Notes come and go *below* the editor: one appearing above it would move the grid while
    # a cell editor is open, which closes the editor and drops what is being typed.
    with st.container(key=f"grid_notes_{name}"):
        _waiting_note(session, st.session_state.get(session.key))
        held_message(ctx, journey.id, name)
        if session.behind:
            _behind_note(journey.id, name)
    _hold_keys_for_the_editor()


# Keys that Streamlit's grid (glide-data-grid, in Streamlit 1.67) drops. The first key typed
# on a selected cell opens the cell's editor with that key; the editor takes the focus, and
# then the grid's accessibility table, which redraws up to 200 ms after a change of selection,
# can focus the selected cell again for a moment. A key that reaches the grid while its editor
# is open is taken for "open the editor" and dropped ("Team 9" was saved as "Tam 9", 1-3
# cells in 30 at workshop speed), and an Enter or Tab that reaches it commits nothing; keys
# typed before a slow editor first has the focus are dropped too, all but the one it opens
# with ("100" was saved as "10"), and while the code of the first editor of a kind loads the
# grid ignores every key. This script (installed once per page) loads the editors' code with
# the page, and gives those keys to the editor: typed keys in order, Enter, Tab and Escape as
# if typed into it, and keys typed on the grid while its last editor is still closing once it
# is gone. Everything else goes where it went.
HELD_KEYS_JS = r"""
(() => {
  if (window.__cxmapGridKeys) return;
  window.__cxmapGridKeys = true;
  // Glide loads a cell editor's code the first time one opens, and keys typed meanwhile are
  // lost (the first number cell of a page lost all of them on a loaded machine): load it now.
  const app = document.querySelector('script[type="module"][src*="static/js/index."]');
  if (app !== null) {
    for (const chunk of window.__cxmapEditorChunks || []) {
      import(new URL(chunk, app.src).href).catch(() => {});
    }
  }
  const GRID = '[data-testid="stDataFrame"]';
  const EDITOR = "#portal input, #portal textarea"; // glide draws its cell editors there
  const WAIT_MS = 1500; // keys typed on a cell longer ago than this are not for its editor
  const focused = new WeakSet(); // editors that have had the focus
  const closing = new WeakSet(); // editors committed or cancelled (Enter, Tab, Escape, a click)
  const stuck = new WeakSet(); // closing editors that did not go
  let keys = ""; // keys typed on the selected cell while no editor had the focus
  let since = 0; // when the first of them was typed
  let fixing = null; // the editor about to be given ``keys``
  let queue = []; // keys typed on the grid while its last editor was still closing
  let queued = 0; // when the first of them was typed
  let replaying = false;
  const plain = (e) => !e.ctrlKey && !e.metaKey && !e.altKey;
  const typed = (e) => e.key.length === 1 && plain(e);
  const isEditor = (t) => (t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement)
    && t.closest("#portal") !== null;
  const onGrid = (t) => t instanceof Element && t.closest(GRID) !== null
    && t.tagName !== "INPUT" && t.tagName !== "TEXTAREA";
  const lostEditor = () => { // open, had the focus, and the grid has taken it back
    const found = document.querySelector(EDITOR);
    return found !== null && focused.has(found) && !closing.has(found) ? found : null;
  };
  const insert = (editor, text, replace) => {
    if (document.activeElement !== editor) editor.focus({ preventScroll: true });
    try {
      editor.setSelectionRange(replace ? 0 : editor.value.length, editor.value.length);
    } catch (_) {
      if (replace) editor.select();
    }
    document.execCommand("insertText", false, text);
  };
  const hold = (e) => { e.preventDefault(); e.stopImmediatePropagation(); };
  const closingEditor = () => {
    const found = document.querySelector(EDITOR);
    return found !== null && closing.has(found) && !stuck.has(found) ? found : null;
  };
  const replay = () => { // once the closing editor is gone: to the grid, as typed
    const still = closingEditor();
    if (still !== null && performance.now() - queued < WAIT_MS) {
      requestAnimationFrame(replay);
      return;
    }
    if (still !== null) stuck.add(still); // it is not going: never wait for it again
    const keysToReplay = queue;
    queue = [];
    replaying = true;
    try {
      for (const k of keysToReplay) {
        const target = document.activeElement || document.body;
        const event = new KeyboardEvent("keydown", { ...k, bubbles: true, cancelable: true });
        target.dispatchEvent(event);
      }
    } finally {
      replaying = false;
    }
  };
  const keyInit = (e) => ({ key: e.key, code: e.code, keyCode: e.keyCode, which: e.which,
    shiftKey: e.shiftKey });
  const later = (e) => { // hold a key typed while an editor closes; the grid gets it after
    hold(e);
    if (queue.length === 0) { queued = performance.now(); requestAnimationFrame(replay); }
    queue.push(keyInit(e));
  };
  // Glide commits a text or number editor in a timer its Enter (or Tab) sets, and every key
  // typed into the editor sets such a timer too, which commits the cell with no value when
  // it runs after the Enter's keydown: on a busy page input comes before timers, and the
  // cell keeps its old value ("Sees TV ad" typed into the first new row, Enter, nothing).
  // So the editor gets its Enter once the timers of the keys before it have run. A pick
  // list commits its choice at once (no such timer): its Enter goes straight to it.
  const commits = (e) => e.isTrusted && plain(e)
    && (e.key === "Tab" || (e.key === "Enter" && !e.shiftKey));
  const pickList = (t) => t.id.startsWith("react-select");
  window.addEventListener("keydown", (e) => {
    const t = e.target;
    if (isEditor(t)) {
      if (closing.has(t) && e.isTrusted && !replaying) { later(e); return; }
      if (commits(e) && !pickList(t)) {
        hold(e);
        closing.add(t);
        const init = { ...keyInit(e), bubbles: true, cancelable: true };
        setTimeout(() => {
          if (t.isConnected) t.dispatchEvent(new KeyboardEvent("keydown", init));
        }, 0);
        return;
      }
      if (["Enter", "Tab", "Escape"].includes(e.key)) closing.add(t);
      else if (t === fixing && typed(e)) { keys += e.key; hold(e); }
      return;
    }
    if (!onGrid(t)) return;
    if ((queue.length > 0 && !replaying) || (!replaying && closingEditor() !== null && plain(e))) {
      // Its last editor is still closing (the page is busy): a key now would reopen that
      // editor in a state that commits nothing more. Hand the key to the grid when it is gone.
      hold(e);
      if (queue.length === 0) { queued = performance.now(); requestAnimationFrame(replay); }
      queue.push({ key: e.key, code: e.code, keyCode: e.keyCode, which: e.which,
        shiftKey: e.shiftKey });
      return;
    }
    const editor = lostEditor();
    if (editor !== null && (typed(e) || (["Enter", "Tab", "Escape"].includes(e.key) && plain(e)))) {
      // Glide would take a typed key for "open the editor" (and drop it), and ignore Enter
      // or Tab: they are for the open editor.
      hold(e);
      if (typed(e)) { insert(editor, e.key, false); return; }
      editor.focus({ preventScroll: true });
      closing.add(editor);
      editor.dispatchEvent(new KeyboardEvent("keydown", {
        key: e.key, code: e.code, keyCode: e.keyCode, which: e.which, shiftKey: e.shiftKey,
        bubbles: true, cancelable: true,
      }));
      return;
    }
    if (!typed(e)) { keys = ""; return; }
    const now = performance.now();
    if (!keys || now - since > WAIT_MS) { keys = ""; since = now; }
    keys += e.key; // glide opens the editor with one of these keys; it gets all of them
  }, true);
  window.addEventListener("mousedown", (e) => {
    keys = "";
    const editor = document.querySelector(EDITOR);
    if (editor !== null && !editor.closest("#portal").contains(e.target)) closing.add(editor);
  }, true);
  document.addEventListener("focusin", (e) => {
    const t = e.target;
    if (!isEditor(t) || focused.has(t)) return;
    focused.add(t);
    const text = keys;
    keys = "";
    // Glide opened this editor with one of the keys typed (the first, or a later one when the
    // editor was slow to come): give it all of them, in order.
    if (text.length < 2 || performance.now() - since > WAIT_MS || t.value.length !== 1
        || !text.includes(t.value)) return;
    fixing = t;
    keys = text;
    setTimeout(() => { // once the editor has its first value and caret
      const all = keys;
      keys = "";
      fixing = null;
      if (document.activeElement === t) insert(t, all, true);
    }, 0);
  }, true);
})();
"""


def _hold_keys_for_the_editor() -> None:
    chunks = json.dumps(_editor_chunks())
    st.html(
        f"<script>window.__cxmapEditorChunks = {chunks};{HELD_KEYS_JS}</script>",
        unsafe_allow_javascript=True,
    )


@functools.cache
def _editor_chunks() -> list[str]:
    """The files of the grid's cell editors in Streamlit's frontend (loaded when the first
    editor opens; the key script loads them with the page).

    >>> [name.removeprefix("./").split(".")[0] for name in _editor_chunks()]
    ['data-grid-overlay-editor', 'number-overlay-editor']
    """
    folder = Path(st.__file__).parent / "static" / "static" / "js"
    return sorted(f"./{path.name}" for path in folder.glob("*-overlay-editor.*.js"))


def read_only_grid(current: DrawnGrid) -> None:
    """The grid as a table nobody can type into: no new rows, no deletes, no save. Columns
    are not pinned: a table draws pinned columns greyed, as if they were left out."""
    config: dict[str, Any] = {
        name: {**column, "pinned": False} if isinstance(column, dict) else column
        for name, column in current.column_config.items()
    }
    st.dataframe(
        current.frame,
        column_config=config,
        hide_index=True,
        width="stretch",
        height=min(grid_height(len(current.rows)), 35 * (len(current.rows) + 1) + 3),
    )
    shell.read_only_note()


def _behind_note(map_id: int, name: str) -> None:
    note, button = st.columns([5, 1], vertical_alignment="center")
    note.info(
        "Someone else changed this map while you were editing this grid. Your edits are "
        "saved; the grid shows their changes when you ask.",
        icon="🔄",
    )
    button.button(
        "Show their changes",
        key=f"grid_behind_{map_id}_{name}",
        on_click=release,
        args=(map_id, name),
        width="stretch",
    )


def _defaults(drawn: DrawnGrid) -> dict[str, Any]:
    """The values the editor puts in a new row by itself (a new touchpoint's stage)."""
    found = {}
    for column, config in drawn.column_config.items():
        default = config.get("default") if isinstance(config, dict) else None
        if default is not None:
            found[column] = default
    return found


def _required(drawn: DrawnGrid) -> list[str]:
    """The columns a new row needs before it is saved: its entity's required fields.

    Not ``required`` in the editor's column settings: the editor leaves a new row with a
    blank required cell out of what it reports, which moves the new rows after it (the
    ledger would give one row's values to another's database row).
    """
    shown = set(_editable(drawn))
    found = (drawn.columns.column_of(name) for name in entity(drawn.entity).required)
    return [column for column in found if column in shown]


def _waiting_note(session: GridSession, state: Any) -> None:
    """Say which new rows are not saved yet because a required cell is blank."""
    for number, missing in session.ledger.incomplete(state or _NO_EDITS):
        st.caption(
            f"New row {number + 1} is saved once it has "
            + " and ".join(f"a {shell.md_escape(column)}" for column in missing)
            + "."
        )


def _editable(drawn: DrawnGrid) -> list[str]:
    return [c for c in drawn.frame.columns if c not in drawn.disabled]


def grid_height(rows: int) -> int:
    """The grid's height in pixels for ``rows`` rows.

    Header, rows, the "add row" line and room for ten rows more, 35 px each: the editor is
    kept while rows are added (its height cannot change without re-creating it), so new rows
    must fit without the grid scrolling under the user's cursor. Long grids scroll inside 15
    rows.

    >>> grid_height(0), grid_height(2), grid_height(100)
    (423, 493, 598)
    """
    return 35 * (min(rows + 10, 15) + 2) + 3
