"""Every key binding of the app, as data. Each binding has an `id`; the config file remaps it:

    [keys]
    search = "ctrl+f"
    toggle_translation = "f2,t"

`keymap_for(settings.keys)` checks the ids and is given to `App.set_keymap`; the help screen
and the command palette are built from these same tables.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.binding import Binding

# The app: work on every screen.
APP = [
    # q goes back one level (from an open article to the list, from a view or a picker to the
    # main screen) and quits from the list; Q quits from anywhere (newsboat's quit and hard-quit).
    Binding("q", "quit", "Quit", tooltip="Back; quit from the list", id="quit"),
    # priority: also on the pickers and views (App.check_action lets it through as a
    # character while a text box has the focus)
    Binding("Q", "hard_quit", "Quit from anywhere", key_display="Q", show=False, priority=True,
            id="hard_quit"),
    Binding("question_mark", "help", "Help", key_display="?", id="help"),
    Binding("ctrl+p", "command_palette", "Commands", show=False, id="command_palette"),
]

# The main screen (priority bindings also work while the search box has focus).
MAIN = [
    # priority: handled as the key arrives, so the keys typed right after it find the search
    # box focused (MainScreen.check_action lets it through as a character once in the box)
    Binding("slash", "search", "Search", key_display="/", priority=True, id="search"),
    Binding("t", "toggle_translation", "Translation", id="toggle_translation"),
    Binding("l", "language_filter", "Language", id="language_filter"),
    Binding("e", "show_event", "Event", show=False, id="show_event"),
    Binding("r", "related", "Related", show=False, id="related"),
    Binding("c", "compare", "Compare", id="compare"),
    Binding("w", "watch", "Follow/unfollow", show=False, id="watch"),
    Binding("v", "timeline", "Event timeline", show=False, id="timeline"),
    Binding("T", "target_language", "Target language", key_display="T", show=False, id="target_language"),
    Binding("L", "set_language", "Article's language", key_display="L", show=False, id="set_language"),
    Binding("y", "copy_url", "Copy the article's URL", show=False, id="copy_url"),
    Binding("O", "open_url", "Open the article's URL", key_display="O", show=False, id="open_url"),
    Binding("ctrl+g", "translate_leads", "Translate leads", show=False, id="translate_leads"),
    Binding("m", "toggle_read", "Read/unread", show=False, id="toggle_read"),
    Binding("s", "toggle_star", "Star", show=False, id="toggle_star"),
    # u is undo while the status line offers it (after A), else the show filter: the first
    # binding of a key whose action cannot run lets the next one have the key.
    Binding("u", "undo", "Undo marking all read", show=False, id="undo"),
    Binding("u", "show_filter", "Show filter", show=False, id="show_filter"),
    Binding("A", "mark_all_read", "Mark all shown read", key_display="A", show=False, id="mark_all_read"),
    Binding("J", "next_article", "Next article", key_display="J", show=False, id="next_article"),
    Binding("K", "previous_article", "Previous article", key_display="K", show=False, id="previous_article"),
    Binding("U", "next_unread", "Next unread article", key_display="U", show=False, id="next_unread"),
    Binding("number_sign", "tag_filter", "Filter by tag", key_display="#", show=False, id="tag_filter"),
    Binding("vertical_line", "pipe", "Pipe to a command", key_display="|", show=False, id="pipe"),
    Binding("o", "sort", "Sort order", show=False, id="sort"),
    Binding("R,f", "fetch", "Reload all feeds", show=False, id="fetch"),
    Binding("F", "fetch_one", "Fetch one feed", key_display="F", show=False, id="fetch_one"),
    Binding("a", "add_files", "Add a file or folder", show=False, id="add"),
    Binding("ctrl+t", "app.choose_theme", "Theme", show=False, id="choose_theme"),
    Binding("n", "next_match", "Next match", show=False, id="next_match"),
    Binding("N", "previous_match", "Previous match", show=False, key_display="N", id="previous_match"),
    Binding("tab", "focus_pane(1)", "Next pane", show=False, priority=True, id="focus_next_pane"),
    Binding("shift+tab", "focus_pane(-1)", "Previous pane", show=False, priority=True, id="focus_previous_pane"),
    Binding("escape", "back", "Back", show=False, id="back"),
]

# The source list.
LIST = [
    Binding("down,j", "cursor_down", "Down", show=False, id="list.down"),
    Binding("up,k", "cursor_up", "Up", show=False, id="list.up"),
    Binding("pagedown", "page_down", "Page down", show=False, id="list.page_down"),
    Binding("pageup", "page_up", "Page up", show=False, id="list.page_up"),
    Binding("home,g", "first", "First", show=False, id="list.first"),
    Binding("end,G", "last", "Last", show=False, id="list.last"),
    Binding("enter", "open", "Open", id="list.open"),
]

# The article and translation panes (they scroll together).
READER = [
    Binding("down,j", "scroll_down", "Scroll down", show=False, id="reader.down"),
    Binding("up,k", "scroll_up", "Scroll up", show=False, id="reader.up"),
    Binding("pagedown,space", "page_down", "Page down", show=False, id="reader.page_down"),
    Binding("pageup,b", "page_up", "Page up", show=False, id="reader.page_up"),
    Binding("home,g", "scroll_home", "Top", show=False, id="reader.top"),
    Binding("end,G", "scroll_end", "Bottom", show=False, id="reader.bottom"),
]

# The compare view (reports of one event side by side).
COMPARE = [
    Binding("right,l", "next_report", "Next", id="compare.next"),
    Binding("left,h", "previous_report", "Previous", id="compare.previous"),
    Binding("t", "toggle_translation", "Translation", id="compare.translation"),
    Binding("tab", "switch_pane", "Article/translation", show=False, priority=True, id="compare.switch_pane"),
    Binding("escape", "close", "Back", id="compare.close"),
]


def scrolling(prefix: str) -> list[Binding]:
    """The keys of a screen that scrolls one body (screens/scrolling.py's ScrollKeys), with the
    ids `PREFIX.down`, `PREFIX.up`, `PREFIX.page_down`, `PREFIX.page_up`, `PREFIX.top`, `PREFIX.bottom`."""
    return [
        Binding("down,j", "scroll(1)", "Down", show=False, id=f"{prefix}.down"),
        Binding("up,k", "scroll(-1)", "Up", show=False, id=f"{prefix}.up"),
        Binding("pagedown,space", "page(1)", "Page down", show=False, id=f"{prefix}.page_down"),
        Binding("pageup,b", "page(-1)", "Page up", show=False, id=f"{prefix}.page_up"),
        Binding("home,g", "top", "Top", show=False, id=f"{prefix}.top"),
        Binding("end,G", "bottom", "Bottom", show=False, id=f"{prefix}.bottom"),
    ]


# The event timeline (v).
TIMELINE = [Binding("escape", "close", "Back", id="timeline.close"), *scrolling("timeline")]

# The search box.
SEARCH = [
    Binding("down", "results", "Results", show=False, id="search.results"),
]

GROUPS: dict[str, list[Binding]] = {
    # quit and help first, the palette last: the order the help screen has always shown
    "Everywhere": APP[:2] + MAIN + APP[2:], "Source list": LIST, "Article and translation": READER, "Search box": SEARCH,
    "Compare view": COMPARE, "Event timeline": TIMELINE,
}


def all_bindings() -> list[Binding]:
    return [binding for bindings in GROUPS.values() for binding in bindings]


def binding_ids() -> set[str]:
    return {binding.id for binding in all_bindings() if binding.id}


class KeymapError(ValueError):
    pass


def keymap_for(keys: Mapping[str, str]) -> dict[str, str]:
    """The user's remaps, checked: an unknown id is an error naming the known ones."""
    known = binding_ids()
    unknown = sorted(set(keys) - known)
    if unknown:
        raise KeymapError(f"unknown key binding id {', '.join(map(repr, unknown))} in [keys]; "
                          f"known ids: {', '.join(sorted(known))}")
    keymap = {}
    for binding_id, key in keys.items():
        cleaned = ",".join(part.strip() for part in key.split(",") if part.strip())
        if not cleaned:
            raise KeymapError(f"[keys] {binding_id} is empty; give a key such as \"ctrl+f\"")
        if not all(_is_key_name(part) for part in cleaned.split(",")):
            # A key's name is shown in the footer and the help: it must be text, never a control
            # sequence (an escape in the config would set the terminal's title).
            shown = key if len(key) <= 40 else key[:40] + "…"
            raise KeymapError(f"[keys] {binding_id} = {shown!r} is not a key; give key names such as "
                              f"\"ctrl+f\", \"f2\" or \"t\", separated by commas")
        keymap[binding_id] = cleaned
    _check_conflicts(keymap)
    return keymap


def _is_key_name(key: str) -> bool:
    """Letters, digits and printable symbols, no spaces: `ctrl+f`, `question_mark`, `ä`, `F2`."""
    return len(key) <= 40 and key.isprintable() and not any(ch.isspace() for ch in key)


# Bindings that are active at the same time (the app's and the main screen's, with the focused
# pane's): one key must not do two things there. The list and the reader share j/k on purpose.
_TOGETHER = [APP + MAIN + LIST, APP + MAIN + READER, APP + COMPARE, APP + TIMELINE]
# Bindings that may share a key with any other: they run only while the status line offers them
# and otherwise hand the key on (undo after A).
_OFFERED = {"undo"}


def _check_conflicts(keymap: Mapping[str, str]) -> None:
    for bindings in _TOGETHER:
        owner: dict[str, str] = {}
        for binding in bindings:
            for key in keymap.get(binding.id or "", binding.key).split(","):
                if binding.id in _OFFERED:
                    continue
                other = owner.setdefault(key, binding.id or binding.action)
                if other != (binding.id or binding.action):
                    raise KeymapError(f"[keys] gives {_display(key)!r} to both {other} and {binding.id}; "
                                      f"give one of them another key")


def key_named(binding_id: str, keymap: Mapping[str, str]) -> str:
    """What to press for the binding with this id (its first key), after the user's remaps:
    for messages that tell the reader which key does something."""
    binding = next(b for b in all_bindings() if b.id == binding_id)
    return keys_for(binding, keymap).split(", ")[0]


def keys_for(binding: Binding, keymap: Mapping[str, str]) -> str:
    """What to press for a binding, after the user's remaps, for the help screen."""
    keys = keymap.get(binding.id or "", binding.key)
    if binding.id not in keymap and binding.key_display:
        first, *rest = keys.split(",")
        return ", ".join([binding.key_display, *rest])
    return ", ".join(_display(key) for key in keys.split(","))


_NAMES = {"question_mark": "?", "slash": "/", "pagedown": "PgDn", "pageup": "PgUp", "space": "Space",
          "escape": "Esc", "enter": "Enter", "tab": "Tab", "shift+tab": "Shift+Tab", "up": "↑",
          "down": "↓", "home": "Home", "end": "End", "left": "←", "right": "→", "delete": "Del",
          "backspace": "Backspace", "insert": "Ins", "number_sign": "#", "vertical_line": "|"}


_MODIFIERS = {"ctrl": "Ctrl", "shift": "Shift", "alt": "Alt", "meta": "Meta", "super": "Super"}


def _display(key: str) -> str:
    """One spelling everywhere: `Ctrl+P`, `Shift+Tab`, `F2`, `Esc`; a bare letter keeps its case
    (`t` and `T` are different keys)."""
    if key in _NAMES:
        return _NAMES[key]
    *modifiers, name = key.split("+")
    if not modifiers and len(name) == 1:
        return name
    name = _NAMES.get(name, name if len(name) == 1 and not modifiers else name.capitalize())
    if modifiers and len(name) == 1:
        name = name.upper()
    return "+".join([*(_MODIFIERS.get(m, m.capitalize()) for m in modifiers), name])
