"""A corpus of hostile input for `newsreader add` (issue 9), and a driver that feeds it through
the real command and counts what went wrong.

    python tools/hostile_inputs.py [FOLDER]     # generate, add, list, search, show: print figures

Every case is a file (or a link, a pipe, an odd name) in one folder, with what must happen:
GOOD files must be indexed, BAD ones named in exactly one problem line, EITHER ones may be
either (but never crash or leak); JSONL files also list the lines that must be named.
tests/engine/test_hostile_corpus.py and tests/app/test_hostile_app.py drive the same corpus.
"""

from __future__ import annotations

import codecs
import json
import os
import random
import re
import shlex
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

GOOD, BAD, EITHER, IGNORED = "good", "bad", "either", "ignored"
MAX_FILE_BYTES = 20 * 1024 * 1024  # index/decoding.py's limit

EN = ("The Russian president met his Iranian counterpart in Ashgabat on Friday to discuss trade "
      "and regional security, officials said after the talks.")
TR = ("Rusya Devlet Başkanı Vladimir Putin, İran Cumhurbaşkanı Mesud Pezeşkiyan ile Aşkabat'ta "
      "görüştü; iki lider ticaret ve bölgesel güvenliği değerlendirdi.")
AR = ("أجرى الرئيسان الروسي فلاديمير بوتين والإيراني مسعود بيزشكيان محادثات في عاصمة تركمانستان "
      "عشق آباد اليوم الجمعة حول التجارة والأمن الإقليمي.")
RU = ("Президент России Владимир Путин встретился со своим иранским коллегой в Ашхабаде в пятницу, "
      "чтобы обсудить торговлю и региональную безопасность.")

# Sequences a terminal would act on: title change, clipboard write, colour, clear screen,
# device control string, 8-bit CSI and OSC, hyperlink.
ESCAPES = [
    "\x1b]2;PWNED-TITLE\x1b\\", "\x1b]52;c;ZXZpbA==\x07", "\x1b[31;1m", "\x1b[2J\x1b[H", "\x1bP1$qm\x1b\\",
    "\x9b6n", "\x9d0;title\x9c", "\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\", "\x07\x08\x7f",
]
BIDI = ["\u202e", "\u202d", "\u202a", "\u202b", "\u202c", "\u2066", "\u2067", "\u2068", "\u2069"]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u2062"]
MARKUP = ["[bold red]x[/]", "[link=http://evil.example]click[/link]", "[/]", "[reverse]", "\\[escaped]"]
# What must never appear in a terminal from data (bytes in UTF-8): ESC, BEL, C1 controls,
# bidi embeddings/overrides/isolates.
LEAK = re.compile("[\x1b\x07\x80-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass
class Case:
    path: Path
    expect: str  # GOOD, BAD, EITHER or IGNORED
    what: str
    bad_lines: tuple[int, ...] = ()  # JSONL lines that must be named in a problem line
    good_lines: int = 0  # JSONL lines that must become articles
    show: bool = False  # its articles are shown one by one with `newsreader show`


@dataclass
class Corpus:
    folder: Path
    cases: list[Case] = field(default_factory=list)

    def of(self, expect: str) -> list[Case]:
        return [c for c in self.cases if c.expect == expect]

    @property
    def inputs(self) -> int:
        """Hostile inputs tried: every file, plus every broken JSONL line."""
        return len(self.cases) + sum(len(c.bad_lines) for c in self.cases)


def shown(path: Path) -> str:
    """A path as newsreader's problem lines show it: undecodable bytes and controls escaped."""
    text = os.fsencode(str(path)).decode("utf-8", "backslashreplace")
    return re.sub("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\u2060-\u2064\u206a-\u206f\ufeff\ufff9-\ufffb]",
                  lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}", text)


def generate(folder: Path, seed: int = 9, *, big: bool = True) -> Corpus:
    """Write the corpus into `folder`; `big=False` leaves out the files of megabytes (the
    app's walk through every article needs no 20 MB file)."""
    rng = random.Random(seed)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(folder)

    def put(name: str | bytes, data: bytes | str, expect: str, what: str, **extra) -> Path:
        path = Path(os.fsdecode(os.path.join(os.fsencode(folder), os.fsencode(name) if isinstance(name, str) else name)))
        with open(os.fsencode(path), "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        corpus.cases.append(Case(path, expect, what, **extra))
        return path

    def story(n: int, lead: str = EN) -> str:
        return f"Hostile story {n}\n\n{lead} Case {n}.\n"

    # -- encodings --------------------------------------------------------------------------
    put("plain.txt", story(1), GOOD, "plain UTF-8")
    put("bom.txt", codecs.BOM_UTF8 + story(2).encode(), GOOD, "UTF-8 with BOM")
    put("utf16-bom.txt", story(3, TR).encode("utf-16"), GOOD, "UTF-16 with BOM")
    put("utf16le-nobom.txt", story(4, TR).encode("utf-16-le"), GOOD, "UTF-16 LE without BOM")
    put("utf16be-nobom.txt", story(5, AR).encode("utf-16-be"), GOOD, "UTF-16 BE without BOM")
    put("cp1254.txt", story(6, TR * 3).encode("cp1254"), GOOD, "Turkish in cp1254")
    put("cp1256.txt", story(7, AR * 3).encode("cp1256"), GOOD, "Arabic in cp1256")
    put("koi8r.txt", story(8, RU * 3).encode("koi8_r"), GOOD, "Russian in KOI8-R")
    put("invalid-utf8.txt", story(9).encode() + b"\xff\xfe\xc3\x28 caf\xe9 \xa0 \xed\xa0\x80 end.\n", GOOD,
        "invalid UTF-8 sequences")
    # -- controls and escapes ---------------------------------------------------------------
    put("escapes.txt", f"Title {''.join(ESCAPES)} here\n\n{EN} {' '.join(ESCAPES)} body.\n", GOOD,
        "CSI, OSC, DCS, 8-bit CSI/OSC in title and body", show=True)
    put("c0c1.txt", "C0 \x01\x02\x03\x0b\x0c C1 \x85\x8d\x90\x9b\x9f title\n\n" + EN + " \x1a\x1c\x7f\n",
        GOOD, "C0 and C1 controls", show=True)
    put("nul.txt", "Title\n\n" + EN + "\x00 after a NUL\n", BAD, "a NUL byte (binary)")
    put("bidi.txt", f"{''.join(BIDI)}Bidi title{BIDI[0]}exe.txt\n\n{AR} {''.join(BIDI)} {EN}\n", GOOD,
        "bidi overrides, embeddings and isolates", show=True)
    put("zero-width.txt", f"Zero{''.join(ZERO_WIDTH)}width title\n\n{EN.replace(' ', chr(0x200b))}\n", GOOD,
        "zero-width characters", show=True)
    put("markup.txt", f"{MARKUP[0]} markup title {MARKUP[1]}\n\n{EN} {' '.join(MARKUP)}\n", GOOD,
        "Rich markup in title and body", show=True)
    # -- sizes and shapes --------------------------------------------------------------------
    put("empty.txt", b"", BAD, "zero bytes")
    put("blank.txt", " \n\t\n \r\n", BAD, "only whitespace")
    put("binary.txt", bytes(rng.randrange(256) for _ in range(64 * 1024)), BAD, "random binary")
    if big:
        put("long-line.txt", "Long line\n\n" + (EN + " ") * 8000, GOOD, "a 1 MB line")
        under = ("Just under the limit\n\n" + EN + "\n").encode()
        put("just-under.txt", under + b" " * (MAX_FILE_BYTES - len(under) - 1) + b"\n", GOOD,
            "one byte under the 20 MB limit")
        over = put("over-limit.txt", b"", BAD, "one byte over the 20 MB limit")
        with open(over, "r+b") as handle:
            handle.truncate(MAX_FILE_BYTES + 1)
    # -- HTML ----------------------------------------------------------------------------------
    put("malformed.html", f"<html><body><p>{EN}<div><p>unclosed <b><i>{EN}</p></div></span></table>"
        f"<p>{EN}<<<>>></body>", EITHER, "malformed HTML")
    put("deep.html", "<html><body>" + "<div>" * 20_000 + f"<p>{EN}</p>" + "</div>" * 20_000 + "</body></html>",
        EITHER, "20,000 nested divs")
    put("control-refs.html", f"<html><head><title>Refs &#27;]2;x&#7; title</title></head><body><article>"
        f"<h1>Control references</h1><p>{EN} &#27;[31m red &#7; bell &#x9b;2J &#155; done.</p>"
        f"<p>{EN} Second.</p></article></body></html>", GOOD, "&#27; and &#7; in HTML", show=True)
    put("script.html", f"<html><head><title>Script {ESCAPES[0]}</title><script>alert(1)</script></head>"
        f"<body><article><h1>Script page</h1><p>{EN} {ESCAPES[1]}</p><p>{EN}</p></article></body></html>",
        GOOD, "escapes in HTML title and text")
    # -- feeds ---------------------------------------------------------------------------------
    put("evil.rss", f"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Chan{ESCAPES[0]}nel{BIDI[0]}</title>
<item><title>Item {ESCAPES[1]} {MARKUP[0]}</title><link>http://example.com/{ESCAPES[2]}</link><guid>h1</guid>
<description>{EN} {ESCAPES[3]}</description></item>
<item><title>Second item</title><guid>h2</guid><description><![CDATA[<p>{EN}</p><p>{BIDI[5]}x{BIDI[8]}</p>]]></description></item>
</channel></rss>""".encode(), GOOD, "escapes and bidi in feed titles, channel, links", show=True)
    entities = "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    put("bomb.xml", f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">{entities}]>
<rss version="2.0"><channel><title>Bomb</title><item><title>Boom &i;</title>
<description>{EN}</description></item></channel></rss>""", EITHER, "billion laughs entity bomb")
    put("xxe.xml", f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>XXE</title><item><title>Leak &xxe;</title>
<description>{EN} &xxe;</description></item></channel></rss>""", EITHER, "external entity")
    put("broken.rss", "<?xml version='1.0'?><rss><channel><item><title>x", BAD, "truncated feed")
    # -- JSONL with every kind of broken line ------------------------------------------------
    lines = [
        (json.dumps({"id": "ok-1", "text": EN + " One."}), True),
        ('{"text": "not closed', False),
        ("[1, 2, 3]", False),
        ("42", False),
        ('"just a string"', False),
        ("null", False),
        ('{"title": "no text"}', False),
        ('{"text": ""}', False),
        ('{"text": 12}', False),
        ('{"text": ["a", "b"]}', False),
        (json.dumps({"text": EN, "lang": "../../xx"}), False),
        (json.dumps({"text": EN, "title": {"nested": True}}), False),
        ("[" * 3000 + "]" * 3000, False),
        ('{"a":' * 3000 + "1" + "}" * 3000, False),
        (json.dumps({"id": "x" * 100_000, "text": EN}), False),
        ('{"text": "lone \\ud800 surrogate ' + EN + '", "id": "ok-surrogate"}', True),
        ('{"text": "NUL \\u0000 and ESC \\u001b]2;x\\u0007 ' + EN + '", "id": "ok-escaped"}', True),
        ('{"text": "raw separators \u2028 and \u2029 and \u0085 ' + EN + '", "id": "ok-separators"}', True),
        (json.dumps({"id": "ok-1", "text": EN + " Duplicate id."}), False),
        ('{"text": "trailing"} garbage', False),
        ("\x00\x01\x02", False),
        (json.dumps({"id": "ok-bidi\u202e", "text": EN + " " + "".join(BIDI), "title": "T" + ESCAPES[0]}), True),
        (json.dumps({"id": "ok-crlf", "text": EN + " Windows line."}) + "\r", True),
        ("\xff\xfe not json", False),
    ]
    text = "\n".join(line for line, _ in lines) + "\n"
    put("broken-lines.jsonl", text, GOOD, "JSONL with every kind of broken line",
        bad_lines=tuple(n for n, (_, ok) in enumerate(lines, 1) if not ok),
        good_lines=sum(ok for _, ok in lines), show=True)
    put("all-broken.jsonl", '{"text": \n[1]\n{"x": 1}\n', BAD, "JSONL with only broken lines", bad_lines=(1, 2, 3))
    put("invalid-utf8.jsonl", b'{"text": "caf\xe9 ' + EN.encode() + b'"}\n', EITHER, "JSONL in Latin-1")
    # -- odd file names --------------------------------------------------------------------------
    put("new\nline.txt", story(20), GOOD, "a newline in the name")
    put("esc\x1b]2;NAME\x07.txt", story(21), GOOD, "an OSC sequence in the name", show=True)
    put("rlo\u202etxt.exe.txt", story(22), GOOD, "a bidi override in the name", show=True)
    put("[bold]markup[reverse red].txt", story(23), GOOD, "Rich markup in the name")
    put("c1\x9bname.txt", story(24), GOOD, "a C1 CSI in the name")
    put(b"latin1-\xe9\xff.txt", story(25), BAD, "a name that is not UTF-8")
    put(b"empty-\x1b[2J.txt", b"", BAD, "an escape in a bad file's name")
    put(".hidden.txt", story(26), IGNORED, "hidden file")
    put("picture.jpg", bytes(rng.randrange(256) for _ in range(1024)), IGNORED, "unknown extension")
    # -- things that are not regular files -------------------------------------------------------
    def special(name: str, make, expect: str, what: str) -> None:
        path = folder / name
        try:
            make(path)
        except OSError:
            return
        corpus.cases.append(Case(path, expect, what))

    special("loop.txt", lambda p: p.symlink_to(p.name), BAD, "a symlink loop")
    special("loop-a.txt", lambda p: p.symlink_to("loop-b.txt") or (folder / "loop-b.txt").symlink_to(p.name),
            BAD, "a two-link loop")
    if (folder / "loop-b.txt").is_symlink():
        corpus.cases.append(Case(folder / "loop-b.txt", BAD, "the other half of the loop"))
    special("dangling.txt", lambda p: p.symlink_to("no-such-file.txt"), BAD, "a dangling link")
    special("pipe.txt", lambda p: os.mkfifo(p), BAD, "a FIFO")
    special("zero.txt", lambda p: p.symlink_to("/dev/zero"), BAD, "a link to /dev/zero")
    special("urandom.txt", lambda p: p.symlink_to("/dev/urandom"), BAD, "a link to /dev/urandom")
    special("passwd.txt", lambda p: p.symlink_to("/etc/passwd"), BAD, "a link out of the folder")
    special("alias.txt", lambda p: p.symlink_to("plain.txt"), IGNORED, "a link inside the folder (same file)")
    unreadable = put("unreadable.txt", story(30), BAD if os.geteuid() != 0 else GOOD, "mode 000")
    os.chmod(unreadable, 0)
    sub = folder / "sub\x1b[5mdir"
    sub.mkdir()
    (sub / "inner.md").write_text("# Inner title\n\n" + EN + "\n")
    corpus.cases.append(Case(sub / "inner.md", GOOD, "a file in a folder with an escape in its name"))
    return corpus


# -- driving the real command ------------------------------------------------------------------

@dataclass
class Run:
    argv: list[str]
    code: int
    out: str
    err: str

    @property
    def traceback(self) -> bool:
        return "Traceback" in self.err or "Traceback" in self.out

    @property
    def leaks(self) -> list[str]:
        return LEAK.findall(self.out) + LEAK.findall(self.err)


def command() -> list[str]:
    """$HOSTILE_COMMAND (to measure another build), else the installed `newsreader` script
    beside this Python, else the module."""
    if os.environ.get("HOSTILE_COMMAND"):
        return shlex.split(os.environ["HOSTILE_COMMAND"])
    script = Path(sys.executable).parent / "newsreader"
    return [str(script)] if script.exists() else [sys.executable, "-m", "newsreader.tui.cli"]


def newsreader(library: Path, *args: str, env=None) -> Run:
    argv = [*command(), "--library", str(library), *args]
    done = subprocess.run(argv, capture_output=True, env=env, timeout=900)
    return Run([str(a) for a in args], done.returncode, done.stdout.decode("utf-8", "replace"),
               done.stderr.decode("utf-8", "replace"))


def check(corpus: Corpus, library: Path) -> dict:
    """Add the corpus and read it back every way; return the figures and the failures."""
    env = dict(os.environ, COLUMNS="100", NO_COLOR="1")
    runs = [newsreader(library, "add", str(corpus.folder), env=env)]
    add = runs[0]
    listed = newsreader(library, "list", "--json", env=env)
    runs += [listed, newsreader(library, "list", env=env)]
    articles = json.loads(listed.out) if listed.code == 0 else []
    for query in ("Ashgabat", "Hostile", "PWNED", "bold", "<>", "date:2024-13", "\x1b[31m", "Putin OR Путин"):
        runs.append(newsreader(library, "search", query, env=env))
    runs.append(newsreader(library, "search", "Ashgabat", "--json", "--limit", "100", env=env))
    # Every article whose text or names were hostile is shown (a process each: not all of them).
    shown_from = {os.path.realpath(c.path) for c in corpus.cases if c.show}
    for article in articles:
        if article["path"] in shown_from:
            shown_from.discard(article["path"])  # one article of each such file
            runs.append(newsreader(library, "show", article["id"], env=env))
    hostile_ids = [a["id"] for a in articles if a["id"].startswith("ok-bidi")]
    runs += [newsreader(library, "show", article_id, "--json", env=env) for article_id in hostile_ids]
    runs.append(newsreader(library, "stats", env=env))
    failures = []
    if add.code not in (0, 1):
        failures.append(f"add exited {add.code}")
    paths = {a["path"] for a in articles}
    problem_lines = [line for line in add.err.splitlines() if line.startswith("newsreader: ")]
    for case in corpus.cases:
        named = [line for line in problem_lines if line.startswith(f"newsreader: {shown(case.path)}:")]
        indexed = os.path.realpath(case.path) in paths if case.expect != IGNORED else False
        lines = [line for line in named if re.match(rf"newsreader: {re.escape(shown(case.path))}:\d+:", line)]
        if case.expect == GOOD and not indexed:
            failures.append(f"not indexed: {case.what} ({shown(case.path)}) {named}")
        if case.expect == BAD and not case.bad_lines and len(named) != 1:
            failures.append(f"{case.what}: {len(named)} problem lines, expected 1: {named}")
        if case.expect == BAD and indexed:
            failures.append(f"indexed although bad: {case.what}")
        if case.expect == IGNORED and named:
            failures.append(f"{case.what}: should be skipped quietly: {named}")
        for number in case.bad_lines:
            count = sum(1 for line in lines if line.startswith(f"newsreader: {shown(case.path)}:{number}:"))
            if count != 1:
                failures.append(f"{case.what}: line {number} named {count} times")
        if case.good_lines:
            from_it = [a for a in articles if a["path"] == os.path.realpath(case.path)]
            if len(from_it) != case.good_lines:
                failures.append(f"{case.what}: {len(from_it)} articles, expected {case.good_lines}")
    secrets = [r for r in runs if "root:x:0:0" in r.out or "root:x:0:0" in r.err]
    failures += [f"/etc/passwd content in {r.argv}" for r in secrets]
    tracebacks = [r for r in runs if r.traceback]
    failures += [f"traceback in {r.argv}: {r.err[-300:]}" for r in tracebacks]
    leaks = [(r.argv, leak) for r in runs for leak in r.leaks]
    failures += [f"escape leak {leak!r} in {argv}" for argv, leak in leaks]
    failures += [f"{r.argv} exited {r.code}: {r.err[-200:]}" for r in runs[1:] if r.code not in (0, 2)]
    return {"inputs": corpus.inputs, "commands": len(runs), "articles": len(articles),
            "tracebacks": len(tracebacks), "leaks": len(leaks), "failures": failures}


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(argv[0]) if argv else Path(scratch) / "hostile"
        corpus = generate(folder)
        figures = check(corpus, Path(scratch) / "library")
    for failure in figures.pop("failures"):
        print("FAIL", failure)
    print(" ".join(f"{key}={value}" for key, value in figures.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
