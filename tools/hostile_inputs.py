"""A corpus of hostile input for `newsreader add` (issue 9), and a driver that feeds it through
the real command and counts what went wrong.

    python tools/hostile_inputs.py [FOLDER]     # generate, add, list, search, show: print figures

The files half (`file_cases`, `check_files`): config and state files, OPML lists, package
metadata, the translation cache's place and output targets that are not what they should be,
each through the command that reads or writes them.

The network part (check_network) serves hostile feeds, URLs and package indexes from
127.0.0.1 (tests/local_http.py) to `feeds add`, `fetch`, `feeds import` and `models available`.

Every case is a file (or a link, a pipe, an odd name) in one folder, with what must happen:
GOOD files must be indexed, BAD ones named in exactly one problem line, EITHER ones may be
either (but never crash or leak); JSONL files also list the lines that must be named.
tests/cli/test_hostile_corpus.py and tests/app/test_hostile_app.py drive the same corpus.
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
import time
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

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
        ('{"text": "a number past Python\'s digit limit", "n": ' + "9" * 5000 + "}", False),
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


# -- files newsreader is handed, and files it writes (issue 19) --------------------------------
# Config files, state files, OPML lists, package metadata, the translation cache's place and
# output targets: each through the real command, which must end (no hang) with exit status 0 or
# one error line (no traceback), print no control sequence, and change nothing it should not
# (a FIFO stays a FIFO, a link a link, a backup folder beside the packages is never deleted).

@dataclass
class FileCase:
    what: str
    argv: list[str]  # after `--library LIB`
    env: dict[str, str] = field(default_factory=dict)
    codes: tuple[int, ...] = (2,)  # acceptable exit statuses
    says: str = ""  # a fragment the error line (or the output) must hold
    stdout: str | None = None  # a file to send standard output to (/dev/full)
    intact: list[Path] = field(default_factory=list)  # paths whose kind, inode and bytes must not change
    library: bool = True  # run on the corpus's library (False: argv names its own --library)


def _deep_json(depth: int) -> str:
    return '{"theme": ' + "[" * depth + "]" * depth + "}"


def file_cases(folder: Path, repo: Path, article_id: str) -> list[FileCase]:
    """The cases, their files made in `folder` (`article_id`: an article of the library)."""
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[FileCase] = []

    def put(name: str, data: bytes | str) -> Path:
        path = folder / name
        path.write_bytes(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
        return path

    def special(name: str, kind: str) -> Path | None:
        path = folder / name
        try:
            if kind == "fifo":
                os.mkfifo(path)
            elif kind == "folder":
                path.mkdir()
            elif kind == "device":
                import stat as stat_module

                os.mknod(path, stat_module.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
            else:
                path.symlink_to(kind)
        except (OSError, PermissionError):
            return None
        return path

    # -- the config file: `list` with NEWSREADER_CONFIG pointing at it
    configs = {
        "deep arrays": ("a = " + "[" * 5000 + "]" * 5000, "nested too deeply"),
        "deep inline tables": ("[keys]\nsearch = " + "{a = " * 3000 + "1" + "}" * 3000, "not valid TOML"),
        "a 5,000-digit number": ("[translation]\ncache_mb = " + "1" * 5000, "4,300 digits"),
        "a 4,000-digit number": ("[translation]\ncache_mb = " + "1" * 4000, "4000-digit number"),
        "an escape in [keys]": ('[keys]\nsearch = "\\u001b]0;PWNED\\u0007"', "not a key"),
        "a bidi override in [keys]": ('[keys]\nsearch = "a\\u202eb"', "not a key"),
        "not UTF-8": (b"[ui]\nrtl = \"\xff\xfe\"", "cannot read the config file"),
        "over 1 MB": ("# " + "x" * (1024 * 1024 + 10), "larger than"),
    }
    for what, (text, says) in configs.items():
        path = put(f"config-{len(cases)}.toml", text)
        cases.append(FileCase(f"config: {what}", ["list"], {"NEWSREADER_CONFIG": str(path)}, says=says))
    cases.append(FileCase("a library path with a space, a newline and BEL",
                          ["--library", "/nonexistent/my lib\nx\x07", "list"], says="'/nonexistent/my lib\\x0ax\\x07'",
                          library=False))
    for kind, says in (("fifo", "pipe"), ("/dev/zero", "device"), ("/dev/urandom", "device"), ("folder", "folder")):
        path = special(f"config-{kind.strip('/').replace('/', '-')}", kind)
        if path is not None:
            cases.append(FileCase(f"config: {kind}", ["list"], {"NEWSREADER_CONFIG": str(path)}, says=says,
                                  intact=[path]))
    # -- the app's state file: `config show` reads it, notes the problem, goes on
    states = {"deeply nested": _deep_json(100_000), "a 5,000-digit number": '{"sort": 1' + "0" * 5000 + "}",
              "over 64 KB": '{"theme": "' + "x" * 70_000 + '"}', "not an object": "[1, 2]",
              "escapes in values": '{"theme": "\\u001b]0;PWNED\\u0007", "sort": "\\u202e"}'}
    for what, text in states.items():
        path = put(f"state-{len(cases)}.json", text)
        cases.append(FileCase(f"state file: {what}", ["config", "show"], {"NEWSREADER_STATE": str(path)},
                              codes=(0,), intact=[path]))
    for kind in ("fifo", "/dev/zero", "folder"):
        path = special(f"state-{kind.strip('/').replace('/', '-')}", kind)
        if path is not None:
            cases.append(FileCase(f"state file: {kind}", ["config", "show"], {"NEWSREADER_STATE": str(path)},
                                  codes=(0,), intact=[path]))
    # -- OPML lists: `feeds import`
    deep = "<opml><body>" + '<outline text="f">' * 5000 + '<outline xmlUrl="http://a.example/f"/>' \
           + "</outline>" * 5000 + "</body></opml>"
    opmls = {"nested 5,000 deep": (deep, "nested more than"),
             "declaring entities": ('<?xml version="1.0"?><!DOCTYPE o [<!ENTITY a "aaaa">]><opml><body/></opml>',
                                    "entities"),
             "not XML": ("<opml><body><outline", "not valid XML"),
             "over 5 MB": ("<opml>" + " " * (5 * 1024 * 1024 + 10) + "</opml>", "larger than")}
    for what, (text, says) in opmls.items():
        cases.append(FileCase(f"OPML: {what}", ["feeds", "import", str(put(f"list-{len(cases)}.opml", text))],
                              says=says))
    for kind, says in (("fifo", "pipe"), ("/dev/zero", "device")):
        path = special(f"list-{kind.strip('/').replace('/', '-')}.opml", kind)
        if path is not None:
            cases.append(FileCase(f"OPML: {kind}", ["feeds", "import", str(path)], says=says, intact=[path]))
    hostile = put("hostile-names.opml", '<?xml version="1.0"?><opml version="2.0"><body>'
                  '<outline text="Folder\u202e\u009b31m"><outline text="Feed\u202e" title="T\u009b2J" '
                  'xmlUrl="http://news.example/feed.xml"/></outline></body></opml>')
    cases.append(FileCase("OPML: bidi and C1 controls in names", ["feeds", "import", str(hostile)], codes=(0,)))
    cases.append(FileCase("feeds export of those names", ["feeds", "export"], codes=(0,), says="news.example"))
    # -- outputs: `export ID -o TARGET`, and standard output on a full disk
    real = put("real.md", "keep me")
    os.chmod(real, 0o640)
    link = special("link.md", "real.md")
    if link is not None:
        cases.append(FileCase("export -o through a link", ["export", article_id, "--no-translation", "-o", str(link)],
                              codes=(0,), says="Wrote"))
    for kind in ("fifo", "device", "folder", "nowhere/at/all"):
        path = special(f"out-{kind.replace('/', '-')}", kind)
        if path is not None:
            cases.append(FileCase(f"export -o onto a {kind.split('/')[0]}",
                                  ["export", article_id, "--no-translation", "-o", str(path)], intact=[path]))
    if os.path.exists("/dev/full"):
        for argv in (["export", article_id, "--no-translation"], ["feeds", "export"], ["list"]):
            cases.append(FileCase(f"{argv[0]} > /dev/full", argv, says="the disk is full", stdout="/dev/full"))
    # -- the translation cache's place is a folder
    cache = folder / "cache"
    (cache / "translations.sqlite" / "inner").mkdir(parents=True)
    cases.append(FileCase("a folder where the translation cache file should be", ["cache", "info"],
                          {"NEWSREADER_CACHE": str(cache)}, codes=(0,), says="is a folder",
                          intact=[cache / "translations.sqlite"]))
    # -- packages: a huge metadata.json, and a backup folder beside the packages folder
    big = whitespace_metadata_package(folder / "translate-tr_en-9_9.argosmodel", metadata_mb=64, model_mb=4)
    packages, backup = backup_beside_packages(folder / "home")
    env = {"ARGOS_PACKAGES_DIR": str(packages)}
    cases.append(FileCase("a package whose metadata.json is 64 MB of whitespace", ["models", "install", str(big)], env,
                          says="metadata.json", intact=[backup / "catalog.sqlite"]))
    fixture = repo / "tests" / "fixtures" / "models" / "translate-tr_en-1_0.argosmodel"
    if fixture.exists():
        cases.append(FileCase("models install beside a .newsreader-backup folder", ["models", "install", str(fixture)],
                              env, codes=(0,), intact=[backup / "catalog.sqlite"]))
    return cases


def whitespace_metadata_package(path: Path, metadata_mb: int, model_mb: int) -> Path:
    """A tr->en package whose metadata.json is mostly whitespace; `model_mb` of random bytes,
    stored, keep the archive as a whole under the 20x ratio check (issue 19, defect 18)."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("translate-tr_en/metadata.json", "w", force_zip64=True) as meta:
            meta.write(b'{"from_code": "tr", "to_code": "en", "package_version": "9.9"')
            for _ in range(metadata_mb):
                meta.write(b" " * (1024 * 1024))
            meta.write(b"}")
        archive.writestr("translate-tr_en/model/model.bin", os.urandom(model_mb * 1024 * 1024), zipfile.ZIP_STORED)
        archive.writestr("translate-tr_en/sentencepiece.model", b"x")
    return path


def backup_beside_packages(home: Path) -> tuple[Path, Path]:
    """`home/argos-packages` and, beside it, an hour-old `home/.newsreader-backup/` holding a
    catalog: what an install deleted (issue 19, defect 13). Returns (packages, backup)."""
    packages = home / "argos-packages"
    packages.mkdir(parents=True)
    backup = home / ".newsreader-backup"
    backup.mkdir()
    (backup / "catalog.sqlite").write_bytes(b"the reader's marks")
    old = time.time() - 7200
    os.utime(backup, (old, old))
    return packages, backup


def _fingerprint(path: Path):
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    import stat as stat_module

    data = path.read_bytes() if stat_module.S_ISREG(info.st_mode) and info.st_size < (1 << 20) else None
    return (stat_module.S_IFMT(info.st_mode), info.st_ino, stat_module.S_IMODE(info.st_mode), data)


def check_files(scratch: Path, repo: Path | None = None, timeout_s: float = 60) -> dict:
    """Run every file case through the real command; figures and failures."""
    repo = repo or Path(__file__).resolve().parents[1]
    library = scratch / "library"
    source = scratch / "article"
    source.mkdir(parents=True, exist_ok=True)
    (source / "story.txt").write_text(f"Hostile files story\n\n{EN}\n")
    env = dict(os.environ, COLUMNS="100", NO_COLOR="1", NEWSREADER_CONFIG=str(scratch / "none.toml"),
               NEWSREADER_STATE=str(scratch / "state.json"), NEWSREADER_CACHE=str(scratch / "cache"),
               ARGOS_PACKAGES_DIR=str(scratch / "packages"))
    added = subprocess.run([*command(), "--library", str(library), "add", str(source)], capture_output=True, env=env,
                           timeout=300)
    listed = subprocess.run([*command(), "--library", str(library), "list", "--json"], capture_output=True, env=env,
                            timeout=300)
    article_id = json.loads(listed.stdout)[0]["id"] if added.returncode == 0 and listed.returncode == 0 else "none"
    cases = file_cases(scratch / "files", repo, article_id)
    failures, tracebacks, hangs, leaks, lost = [], 0, 0, 0, 0
    for case in cases:
        before = {path: _fingerprint(path) for path in case.intact}
        argv = [*command(), *(["--library", str(library)] if case.library else []), *case.argv]
        out_file = open(case.stdout, "wb") if case.stdout else subprocess.PIPE
        try:
            done = subprocess.run(argv, stdout=out_file, stderr=subprocess.PIPE, env={**env, **case.env},
                                  timeout=timeout_s)
        except subprocess.TimeoutExpired:
            hangs += 1
            failures.append(f"{case.what}: no answer after {timeout_s:.0f} s (a hang)")
            continue
        finally:
            if case.stdout:
                out_file.close()
        out = (done.stdout or b"").decode("utf-8", "replace")
        err = done.stderr.decode("utf-8", "replace")
        if "Traceback" in out + err:
            tracebacks += 1
            failures.append(f"{case.what}: traceback: {err[-300:]}")
            continue
        found = LEAK.findall(out) + LEAK.findall(err)
        if found:
            leaks += len(found)
            failures.append(f"{case.what}: escape leak {found[:3]!r}")
        lines = [line for line in err.splitlines() if line.startswith("newsreader: error:")]
        if done.returncode not in case.codes:
            failures.append(f"{case.what}: exit status {done.returncode}, expected {case.codes}: {err[-200:]}")
        if done.returncode == 2 and len(lines) != 1:
            failures.append(f"{case.what}: {len(lines)} error lines, expected 1: {err[-300:]}")
        if case.says and case.says not in out + err:
            failures.append(f"{case.what}: does not say {case.says!r}: {err[-200:]}")
        changed = [str(path) for path in case.intact if _fingerprint(path) != before[path]]
        if changed:
            lost += 1
            failures.append(f"{case.what}: changed what it must leave alone: {changed}")
    return {"inputs": len(cases), "tracebacks": tracebacks, "hangs": hangs, "leaks": leaks, "lost": lost,
            "failures": failures}


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


def newsreader(library: Path, *args: str, env=None, limit: float = 900) -> Run:
    argv = [*command(), "--library", str(library), *args]
    done = subprocess.run(argv, capture_output=True, env=env, timeout=limit)
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


# -- the network (issue 19) ---------------------------------------------------------------------
# A feed server on 127.0.0.1 (tests/local_http.py) that misbehaves as servers on the internet
# do, subscribed and fetched through the real command; URLs that cannot be fetched, given to
# `feeds add` and in an OPML file; hostile package indexes given to `models available`.

NET_TIMEOUT_S = 2  # [feeds] timeout_s for the fetch: every hostile feed ends within it


@dataclass
class NetCase:
    name: str
    what: str
    expect: str  # GOOD: "N new"; BAD: one error line naming it
    routes: dict = field(default_factory=dict)  # path -> Route; the feed is the first path
    says: str = ""  # what the BAD line must contain


def _feed(n: int, title: str = "Wire") -> bytes:
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
            f"<item><guid>urn:net:{n}</guid><title>Network story {n}</title><link>https://wire.example/{n}</link>"
            f"<description>{EN} Story {n}.</description></item></channel></rss>").encode()


def network_cases(base: str) -> list[NetCase]:
    """The hostile feed servers, as routes of a local_http.Server at `base`."""
    import gzip
    import zlib

    from local_http import Route, bomb

    timed_out = "timed out (no complete answer from 127.0.0.1"
    raw = zlib.compressobj(6, zlib.DEFLATED, -15)
    redirected = "127.0.0.1 redirected to an address that cannot be fetched"
    cases = [
        NetCase("good", "a plain feed", GOOD, {"/good.xml": Route(_feed(1))}),
        NetCase("gzip", "gzip", GOOD, {"/gzip.xml": Route(_feed(2), gzip=True)}),
        NetCase("gzip2", "gzip, gzip (small)", GOOD,
                {"/gzip2.xml": Route(gzip.compress(gzip.compress(_feed(3))), headers={"Content-Encoding": "gzip, gzip"})}),
        NetCase("deflate", "zlib deflate", GOOD, {"/deflate.xml": Route(zlib.compress(_feed(4)),
                                                                         headers={"Content-Encoding": "deflate"})}),
        NetCase("rawdeflate", "raw deflate", GOOD, {"/rawdeflate.xml": Route(
            raw.compress(_feed(5)) + raw.flush(), headers={"Content-Encoding": "deflate"})}),
        NetCase("etag", "an ETag and Last-Modified that are not ASCII", GOOD, {"/etag.xml": Route(
            _feed(6), headers={"ETag": '"\xe9t\xe9\xff"', "Last-Modified": "Mon, 07 Oct 2024 \xff"})}),
        NetCase("binheaders", "header values with bytes that are not ASCII, and an escape", GOOD, {"/binheaders.xml": Route(
            _feed(7), headers={"X-Weird": "\xc3\xa9\x9b\x80", "Content-Type": "application/rss+xml; charset=\xe9"})}),
        NetCase("moved", "a redirect to a good feed", GOOD, {"/moved.xml": Route(location="/good-target.xml"),
                                                             "/good-target.xml": Route(_feed(8))}),
        NetCase("relative", "a relative redirect, twice", GOOD, {"/relative.xml": Route(location="relative2.xml"),
                                                                 "/relative2.xml": Route(location="/rel-target.xml"),
                                                                 "/rel-target.xml": Route(_feed(9))}),
        NetCase("drip", "one byte every 0.2 s", BAD, {"/drip.xml": Route(_feed(20), drip_s=0.2)}, timed_out),
        NetCase("dripheaders", "headers a byte every 0.2 s", BAD, {"/dripheaders.xml": Route(drip_headers_s=0.2)}, timed_out),
        NetCase("silent", "no answer at all", BAD, {"/silent.xml": Route(_feed(21), delay_s=60)}, timed_out),
        NetCase("endless", "a body that never ends, slowly", BAD,
                {"/endless.xml": Route(_feed(22)[:200], endless=b"<!-- more -->", endless_gap_s=0.05)}, timed_out),
        NetCase("flood", "a body that never ends, fast", BAD,
                {"/flood.xml": Route(_feed(23)[:200], endless=b"x" * 65536)}, "larger than the 1 MB limit"),
        NetCase("bomb", "a gzip, gzip bomb (512 MB in 1 KB)", BAD,
                {"/bomb.xml": Route(bomb(), headers={"Content-Encoding": "gzip, gzip"})}, "larger than the 1 MB limit"),
        NetCase("bomb3", "gzip four times over", BAD, {"/bomb3.xml": Route(
            b"x", headers={"Content-Encoding": "gzip, gzip, gzip, gzip"})}, "compressed 4 times over"),
        NetCase("brotli", "an encoding not asked for", BAD, {"/brotli.xml": Route(b"x", headers={"Content-Encoding": "br"})},
                "compressed with 'br'"),
        NetCase("escenc", "an escape in the encoding's name", BAD, {"/escenc.xml": Route(
            b"x", headers={"Content-Encoding": "\x1b]0;PWNED\x07"})}, "which newsreader does not read"),
        NetCase("badgzip", "broken gzip", BAD, {"/badgzip.xml": Route(b"not gzip", headers={"Content-Encoding": "gzip"})},
                "compression is broken"),
        NetCase("huge", "Content-Length over the limit", BAD, {"/huge.xml": Route(_feed(24) * 20000)},
                "larger than the 1 MB limit"),
        NetCase("cut", "a connection dropped mid-body", BAD, {"/cut.xml": Route(_feed(25), cut_after=100)},
                "broke the connection"),
        NetCase("loop", "a redirect loop", BAD, {"/loop.xml": Route(location="/loop.xml")}, "too many redirects"),
        NetCase("s404", "HTTP 404", BAD, {"/s404.xml": Route(b"gone", status=404)}, "HTTP 404 Not Found"),
        NetCase("s500", "HTTP 500 with an escape in the body", BAD, {"/s500.xml": Route(b"\x1b[2J", status=500)},
                "HTTP 500 Internal Server Error"),
        NetCase("s999", "a status no standard names", BAD, {"/s999.xml": Route(b"", status=599)}, "HTTP 599"),
        NetCase("html", "an HTML page", BAD, {"/html.xml": Route(b"<!doctype html><html><body><p>Hi</p></body></html>",
                                                                 headers={"Content-Type": "text/html"})}, "not a feed"),
        NetCase("empty", "an empty body", BAD, {"/empty.xml": Route(b"")}, "not a feed"),
        NetCase("path", "a body that names a local file", BAD, {"/path.xml": Route(b"/etc/<rss/../passwd")}, ""),
    ]
    for number, target in enumerate(["http://a..b/", "http://.com/", "http://" + "a" * 64 + ".com/", "http://xn--/",
                                     "http://xn--zz.example/", "http://[x/", "http://[v1.fe]/", "http://h:8080:80/",
                                     "http://127.0.0.1:99999/", "file:///etc/passwd", "javascript:alert(1)",
                                     "http://esc\x1b]0;PWNED\x07.example/",
                                     "http://bidi\u202e.example/".encode().decode("latin-1"),  # as UTF-8 bytes
                                     "http://%41%42.example/", "gopher://x.example/"]):
        cases.append(NetCase(f"redirect{number}", f"a redirect to {target!r}", BAD,
                             {f"/redirect{number}.xml": Route(location=target)}, redirected))
    cases.append(NetCase("nowhere", "a redirect to a host that does not exist", BAD,
                         {"/nowhere.xml": Route(location="http://no-such-host.invalid/feed")},
                         "DNS: cannot find the host no-such-host.invalid"))
    return cases


BAD_FEED_URLS = ["http://[x", "http://h:8080:80/", "http://[v1.fe]/", "http://a..b/", "http://.com/", "http://xn--/",
                 "http://" + "a" * 64 + ".com/", "http://127.0.0.1:99999/", "ftp://example.org/feed", "not a url",
                 "http://esc\x1b]0;PWNED\x07.example/", "http://bidi\u202e.example/feed", "", "http://" + "a" * 5000]

HOSTILE_INDEXES = {
    "links-5": json.dumps([{"from_code": "tr", "to_code": "en", "package_version": "1.0", "links": 5}]),
    "deep": "[" * 100_000 + "]" * 100_000,
    "version-superscript": json.dumps([{"from_code": "tr", "to_code": "en", "package_version": "1.\u00b2",
                                        "links": ["https://x.example/p"]}]),
    "version-digits": json.dumps([{"from_code": "tr", "to_code": "en", "package_version": "1" * 5000,
                                   "links": ["https://x.example/p"]}]),
    "version-nul": json.dumps([{"from_code": "tr", "to_code": "en", "package_version": "1\u0000",
                                "links": ["https://x.example/p"]}]),
    "version-long": json.dumps([{"from_code": "tr", "to_code": "en", "package_version": "1." + "0" * 300,
                                 "links": ["https://x.example/p"]}]),
    "size-digits": '[{"from_code": "tr", "to_code": "en", "size": ' + "9" * 5000 + "}]",
    "size-true": json.dumps([{"from_code": "tr", "to_code": "en", "package_version": "1.0", "size": True,
                              "links": ["https://x.example/p"]}]),
    "code-escape": json.dumps([{"from_code": "\x1b]0;PWNED\x07", "to_code": "en", "links": ["https://x.example/p"]}]),
    "name-escape": json.dumps([{"from_code": "tr", "to_code": "en", "package_version": "1.0", "from_name": "\x1b[2J\u202e",
                                "links": ["https://x.example/p"]}]),
    "not-a-list": '{"packages": []}',
    "binary": "\x00\x01\x02",
}


def check_network(scratch: Path) -> dict:
    """Subscribe to every hostile server, fetch twice, read back, import OPML, read hostile
    package indexes: the figures and the failures."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from local_http import Route, Server

    scratch.mkdir(parents=True, exist_ok=True)
    config = scratch / "config.toml"
    config.write_text(f"[feeds]\ntimeout_s = {NET_TIMEOUT_S}\nparallel = 4\nmax_mb = 1\n")
    env = dict(os.environ, COLUMNS="300", NO_COLOR="1", NEWSREADER_CONFIG=str(config),
               ARGOS_PACKAGES_DIR=str(scratch / "packages"), NEWSREADER_CACHE=str(scratch / "cache"))
    library = scratch / "net-library"
    runs: list[Run] = []
    failures: list[str] = []
    hangs = 0

    def call(*args: str, limit: float = 300) -> Run:
        nonlocal hangs
        try:
            done = newsreader(library, *args, env=env, limit=limit)
        except subprocess.TimeoutExpired:
            hangs += 1
            failures.append(f"{list(args)[:3]} still running after {limit:.0f} s")
            done = Run(list(args), -9, "", "")
        runs.append(done)
        return done

    with Server() as server:
        cases = network_cases(server.base)
        # Subscribed to in one process (an OPML list, each feed named by its title): the servers
        # misbehave only when fetched, and a process per plain 127.0.0.1 URL cost a minute.
        feeds = scratch / "servers.opml"
        feeds.write_text('<?xml version="1.0"?><opml version="2.0"><body>' + "".join(
            f"<outline text={quoteattr(case.name)} xmlUrl={quoteattr(server.url(next(iter(case.routes))))}/>"
            for case in cases) + "</body></opml>", encoding="utf-8")
        for case in cases:
            server.routes.update(case.routes)
        added = call("feeds", "import", str(feeds))
        if added.code != 0 or f"{len(cases)} feeds subscribed" not in added.out:
            failures.append(f"feeds import of the servers exited {added.code}: {added.out.strip()} {added.err.strip()}")
        started = time.monotonic()
        fetched = call("fetch", "--json", limit=4 * NET_TIMEOUT_S * len(cases))
        seconds = time.monotonic() - started
        outcomes = {o["name"]: o for o in json.loads(fetched.out)} if fetched.code in (0, 1) and fetched.out else {}
        for case in cases:
            got = outcomes.get(case.name)
            if got is None:
                failures.append(f"{case.name} ({case.what}): no outcome")
            elif case.expect == GOOD and got["status"] != "new":
                failures.append(f"{case.name} ({case.what}): {got['error'] or got['status']}, expected new")
            elif case.expect == BAD and (got["status"] != "error" or case.says not in (got["error"] or "")):
                failures.append(f"{case.name} ({case.what}): {got['status']} {got['error']!r}, expected {case.says!r}")
        call("fetch")  # again: validators sent back, the line format
        call("feeds", "list")
        listed = call("list", "--json")
        for article in json.loads(listed.out) if listed.code == 0 else []:
            call("show", article["id"])
        for url in BAD_FEED_URLS:
            refused = call("feeds", "add", url)
            if refused.code != 2 or refused.err.count("\n") != 1:
                failures.append(f"feeds add {url[:40]!r}: exit {refused.code}, {refused.err.strip()[:200]!r}")
            for argv in (["feeds", "remove", url], ["fetch", url]):
                gone = call(*argv)
                if gone.code != 2 or gone.err.count("\n") != 1:
                    failures.append(f"{argv[:2]} {url[:40]!r}: exit {gone.code}, {gone.err.strip()[:200]!r}")
        opml = scratch / "hostile.opml"
        outlines = "".join(f'<outline text="bad {n}" xmlUrl={quoteattr(url)}/>' for n, url in enumerate(BAD_FEED_URLS)
                           if url and "\x1b" not in url)  # XML 1.0 cannot hold ESC at all
        opml.write_text(f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}'
                        f'<outline text="fine" xmlUrl="https://fine.example/rss"/></body></opml>', encoding="utf-8")
        imported = call("feeds", "import", str(opml))
        if imported.code != 1 or "1 feed subscribed" not in imported.out:
            failures.append(f"OPML import with bad URLs: exit {imported.code}, {imported.out.strip()[-100:]!r}")
        for name, data in HOSTILE_INDEXES.items():
            server.routes[f"/index-{name}.json"] = Route(data.encode("utf-8", "surrogatepass"))
            env["NEWSREADER_PACKAGE_INDEX"] = server.url(f"/index-{name}.json")
            shown = call("models", "available")
            if shown.code not in (0, 2) or shown.err.count("\n") > 1:
                failures.append(f"package index {name}: exit {shown.code}, {shown.err.strip()[:200]!r}")
    tracebacks = [r for r in runs if r.traceback]
    failures += [f"traceback in {r.argv[:3]}: {r.err[-300:]}" for r in tracebacks]
    leaks = [(r.argv, leak) for r in runs for leak in r.leaks]
    failures += [f"escape leak {leak!r} in {argv[:3]}" for argv, leak in leaks]
    inputs = len(cases) + 3 * len(BAD_FEED_URLS) + 1 + len(HOSTILE_INDEXES)
    return {"net_inputs": inputs, "net_commands": len(runs), "fetch_s": round(seconds, 1), "hangs": hangs,
            "net_tracebacks": len(tracebacks), "net_leaks": len(leaks), "failures": failures}


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(argv[0]) if argv else Path(scratch) / "hostile"
        corpus = generate(folder)
        figures = check(corpus, Path(scratch) / "library")
        files = check_files(Path(scratch) / "files-half")
        network = check_network(Path(scratch) / "network")
    for failure in figures.pop("failures") + files.pop("failures") + network.pop("failures"):
        print("FAIL", failure)
    print(" ".join(f"{key}={value}" for key, value in figures.items()))
    print("files:", " ".join(f"{key}={value}" for key, value in files.items()))
    print("network:", " ".join(f"{key}={value}" for key, value in network.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
