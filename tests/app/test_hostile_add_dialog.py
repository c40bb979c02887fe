"""Issue 19, defect 9: the app's add dialog draws file names as plain text. A file named with
an OSC sequence (terminal title, clipboard) or a newline is never drawn as a completion, a
pasted control never enters the path, and the "added" note names files without their escapes."""

from __future__ import annotations

import re

from textual import events

from newsreader.tui.screens.add import AddScreen, complete_path

from helpers.pilot import settle, wait_for

UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
TEXT = ("The Iranian foreign minister arrived in Ashgabat on Monday for talks on gas exports "
        "and the new railway line to the Caspian coast.")
HOSTILE_NAMES = ["esc\x1b]0;PWNED\x07.txt", "osc\x1b]52;c;ZXZpbA==\x07.txt", "new\nline.txt", "csi\x9b2J.txt",
                 "rlo\u202etxt.exe.txt"]


def drawn(widget) -> str:
    return "".join(segment.text for y in range(widget.size.height) for segment in widget.render_line(y))


def test_defect9_hostile_names_are_never_suggested(tmp_path):
    for name in HOSTILE_NAMES:
        (tmp_path / name).write_text(f"Title\n\n{TEXT}\n")
    for prefix in ("esc", "osc", "new", "csi", "rlo"):
        assert complete_path(f"{tmp_path}/{prefix}") is None, prefix
    (tmp_path / "esc-fine.txt").write_text("x")
    assert complete_path(f"{tmp_path}/esc") == f"{tmp_path}/esc-fine.txt"


async def test_defect9_the_dialog_and_its_note_draw_no_control(make_app, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in HOSTILE_NAMES:
        (folder / name).write_text(f"Title {name}\n\n{TEXT}\n")
    (folder / "empty\x1b[31m.txt").write_text("")  # a problem line naming it
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AddScreen)
        field = app.screen.query_one("#add-path")
        app.post_message(events.Paste(f"{folder}/"))  # pasted (typed, each key cost two idle waits)
        await pilot.pause()
        assert field.value == f"{folder}/"
        for prefix in ("e", "o", "n", "c", "r"):
            await pilot.press(prefix)
            await settle(pilot)  # the suggestion comes from a worker
            assert not UNSAFE.search(field._suggestion or ""), field._suggestion
            assert not UNSAFE.search(drawn(field)), drawn(field)
            await pilot.press("backspace")
        field.insert_text_at_cursor("x\x1b]0;PWNED\x07\ny")  # what a paste would insert
        assert not UNSAFE.search(field.value), field.value
        field.value = str(folder)
        await pilot.press("enter")
        await settle(pilot)
        await wait_for(pilot, lambda: any("added" in str(n.message) for n in app._notifications), timeout=60)
        notes = [str(n.message) for n in app._notifications]
        assert any("5 added" in note for note in notes), notes
        assert not any(UNSAFE.search(note) for note in notes), notes
