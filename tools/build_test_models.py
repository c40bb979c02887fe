#!/usr/bin/env python3
"""Build tiny but real Argos Translate packages (.argosmodel) for the test suite.

These are NOT useful translation models.  Each package holds a genuine
SentencePiece model and a genuine CTranslate2 Transformer (1 encoder layer,
1 decoder layer, d_model=64, 4 heads) that was over-fitted with PyTorch on a
handful of news sentences about Putin meeting Pezeshkian in Ashgabat.  It
translates exactly those sentences (listed in NAME.pairs.json beside each
package, and in pairs.json inside it) and produces garbage for anything else.

Build-time requirements (NOT needed by the project or its tests; use a
separate venv so the dev venv stays light):

    python3 -m venv /work/buildenv
    /work/buildenv/bin/pip install torch==2.13.0 ctranslate2 sentencepiece numpy

Rebuild the committed fixtures (from the repository root):

    /work/buildenv/bin/python tools/build_test_models.py --out tests/fixtures/models

i.e. `python tools/build_test_models.py --out tests/fixtures/models` with a
Python that has `pip install torch==2.13.0 ctranslate2 sentencepiece`.

Check the built packages (needs only ctranslate2 + sentencepiece):

    python tools/build_test_models.py --verify tests/fixtures/models

Every package is verified after it is built by loading the saved model with
ctranslate2.Translator and translating each source sentence the way
argostranslate does it (sp.encode(out_type=str) -> translate_batch with
beam_size=4, length_penalty=0.2, replace_unknowns=True -> decode_pieces),
and also with beam_size=1.  If any pair is not reproduced exactly, the model
is retrained with the next seed (bounded; the build fails loudly otherwise).
Results are deterministic given the seeds (torch threads are pinned to 2).

The packages contain no minisbd/ or stanza/ folder: the project splits
sentences itself.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

PACKAGE_VERSION = "1.0"
ARGOS_VERSION = "1.9"

LANG_NAMES = {
    "tr": "Turkish",
    "sq": "Albanian",
    "ar": "Arabic",
    "en": "English",
    "de": "German",
}

# Sentence pairs, one sentence per line each.  The English targets of tr->en
# that also appear as sources of en->de allow an exact pivot test
# tr -> en -> de.
PAIRS: dict[tuple[str, str], list[tuple[str, str]]] = {
    ("tr", "en"): [
        ("Putin ve Pezeşkiyan Aşkabat'ta görüştü.",
         "Putin and Pezeshkian met in Ashgabat."),
        # Literally from seed article 001.
        ("Birçok alanda birbirlerine yardım edebiliriz.",
         "We can help each other in many areas."),
        ("İki lider bölgesel gelişmeleri ele aldı.",
         "The two leaders discussed regional developments."),
        ("İran ve Rusya işbirliği yapacak mı?",
         "Will Iran and Russia cooperate?"),
        ("İran ve Rusya ilişkileri her geçen gün gelişiyor!",
         "Relations between Iran and Russia are improving every day!"),
    ],
    ("sq", "en"): [
        ("Putin dhe Pezeshkian u takuan në Ashgabat.",
         "Putin and Pezeshkian met in Ashgabat."),
        # From seed article 003 (without the closing quote mark).
        ("Sot ne do të diskutojmë këtë.",
         "Today we will discuss this."),
        ("Samiti i BRICS do të mbahet në Kazan.",
         "The BRICS summit will be held in Kazan."),
        ("A do të bashkëpunojnë Irani dhe Rusia?",
         "Will Iran and Russia cooperate?"),
        ("Marrëdhëniet midis Rusisë dhe Iranit janë përmirësuar!",
         "Relations between Russia and Iran have improved!"),
    ],
    ("ar", "en"): [
        ("التقى بوتين وبيزشكيان في عشق آباد.",
         "Putin and Pezeshkian met in Ashgabat."),
        ("هل ستتعاون إيران وروسيا؟",
         "Will Iran and Russia cooperate?"),
        ("ستعقد قمة بريكس في قازان.",
         "The BRICS summit will be held in Kazan."),
        ("أشاد الرئيسان بتقارب مواقفهما.",
         "The two presidents praised their close positions."),
        ("العلاقات بين إيران وروسيا تتطور يوما بعد يوم!",
         "Relations between Iran and Russia are developing day by day!"),
    ],
    ("en", "de"): [
        ("Putin and Pezeshkian met in Ashgabat.",
         "Putin und Peseschkian trafen sich in Aschgabat."),
        ("The two leaders discussed regional developments.",
         "Die beiden Staatschefs erörterten regionale Entwicklungen."),
        ("Will Iran and Russia cooperate?",
         "Werden Iran und Russland zusammenarbeiten?"),
        ("Relations between Iran and Russia are improving every day!",
         "Die Beziehungen zwischen Iran und Russland verbessern sich jeden Tag!"),
        ("The BRICS summit will be held in Kazan.",
         "Der BRICS-Gipfel findet in Kasan statt."),
    ],
}

# Model / training hyper-parameters.
D_MODEL = 64
NUM_HEADS = 4
FFN_DIM = 128
MAX_POSITIONS = 1100  # rows of the torch position table used in training
SP_VOCAB_SIZE = 200
TRAIN_STEPS = 400
# Weights are stored int8-quantized like the published Argos packages
# (CTranslate2 converters' --quantization int8); smaller fixtures, too.
SAVE_QUANTIZATION = "int8"
LEARNING_RATE = 3e-3
LN_EPS = 1e-6
TORCH_THREADS = 2
BASE_SEED = 1234
MAX_TRIES = 6

# Options argostranslate 1.9-1.11 passes to translate_batch (translate.py).
ARGOS_TRANSLATE_OPTIONS = dict(
    replace_unknowns=True,
    max_batch_size=32,
    batch_type="tokens",
    length_penalty=0.2,
    return_scores=True,
)

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed timestamps -> reproducible zips


def package_name(from_code: str, to_code: str) -> str:
    version = PACKAGE_VERSION.replace(".", "_")
    return f"translate-{from_code}_{to_code}-{version}"


# ---------------------------------------------------------------------------
# Translation exactly as argostranslate does it (used by build and --verify)
# ---------------------------------------------------------------------------

def argos_decode(sp, tokens: list[str]) -> str:
    """argostranslate.tokenizer.SentencePieceTokenizer.decode + the leading
    space strip of argostranslate.translate.apply_packaged_translation."""
    value = sp.decode_pieces(tokens).replace("\u2581", " ").replace("_", " ")
    if value[:1] == " ":
        value = value[1:]
    return value


def translate_like_argos(translator, sp, text: str, beam_size: int) -> str:
    tokens = sp.encode(text, out_type=str)
    results = translator.translate_batch(
        [tokens], beam_size=beam_size, num_hypotheses=1, **ARGOS_TRANSLATE_OPTIONS
    )
    return argos_decode(sp, results[0].hypotheses[0])


# "default" keeps the saved int8 weights; "auto" is what argostranslate
# passes (ARGOS_COMPUTE_TYPE default); "float32" dequantizes.  All must agree.
COMPUTE_TYPES = ("default", "auto", "float32")
BEAM_SIZES = (4, 1)


def check_pairs(model_dir: Path, sp_model: Path, pairs) -> list[str]:
    """Return a list of failure descriptions (empty when all pairs pass)."""
    import ctranslate2
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(sp_model))
    supported = ctranslate2.get_supported_compute_types("cpu")
    failures = []
    for compute_type in COMPUTE_TYPES:
        if compute_type not in ("default", "auto") and compute_type not in supported:
            continue
        translator = ctranslate2.Translator(
            str(model_dir), device="cpu", inter_threads=1, intra_threads=1,
            compute_type=compute_type,
        )
        for source, target in pairs:
            for beam in BEAM_SIZES:
                got = translate_like_argos(translator, sp, source, beam)
                if got != target:
                    failures.append(
                        f"compute_type={compute_type} beam={beam}: {source!r} -> "
                        f"{got!r} (expected {target!r})"
                    )
        del translator
    return failures


# ---------------------------------------------------------------------------
# Build (torch is imported only here)
# ---------------------------------------------------------------------------

def train_sentencepiece(sentences: list[str], work: Path) -> Path:
    """Train the one SentencePiece model both sides share (as Argos does).

    Sentences come from an iterator and the model goes to memory, so no
    temporary path ends up in the model's trainer_spec (reproducible bytes).
    """
    import io

    import sentencepiece as spm

    if hasattr(spm, "set_random_generator_seed"):
        spm.set_random_generator_seed(1)
    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences),
        model_writer=buffer,
        vocab_size=SP_VOCAB_SIZE,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,
        num_threads=1,
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=3,
        unk_piece="<unk>",
        bos_piece="<s>",
        eos_piece="</s>",
        pad_piece="<blank>",
        minloglevel=2,
    )
    path = work / "sentencepiece.model"
    path.write_bytes(buffer.getvalue())
    return path


def sinusoid_table(num_positions: int, dim: int):
    """CTranslate2's built-in sinusoidal position encoding (used when a
    PositionEncoderSpec has no explicit table): concat(sin, cos), positions
    counted from 1, timescale increment log(10000) / (dim/2 - 1).  Training
    with the same table lets the saved model leave `encodings` unset, so the
    model has no maximum input length and carries no table."""
    import numpy as np

    half = dim // 2
    increment = np.float32(math.log(10000.0) / (half - 1))
    timescales = np.exp(np.arange(half, dtype=np.float32) * -increment)
    scaled = (np.arange(num_positions, dtype=np.float32)[:, None] + 1) * timescales[None, :]
    return np.concatenate([np.sin(scaled), np.cos(scaled)], axis=1).astype(np.float32)


def make_torch_model(vocab_size: int):
    """A pre-norm Transformer laid out exactly like CTranslate2's TransformerSpec."""
    import torch
    import torch.nn.functional as F
    from torch import nn

    class MultiHeadAttention(nn.Module):
        def __init__(self):
            super().__init__()
            self.q = nn.Linear(D_MODEL, D_MODEL)
            self.k = nn.Linear(D_MODEL, D_MODEL)
            self.v = nn.Linear(D_MODEL, D_MODEL)
            self.o = nn.Linear(D_MODEL, D_MODEL)

        def forward(self, x, memory, mask):
            b, tq, _ = x.shape
            tk = memory.shape[1]
            dh = D_MODEL // NUM_HEADS

            def split(t, n):
                return t.view(b, n, NUM_HEADS, dh).transpose(1, 2)

            q = split(self.q(x), tq) / math.sqrt(dh)
            k = split(self.k(memory), tk)
            v = split(self.v(memory), tk)
            scores = q @ k.transpose(-1, -2)  # b, h, tq, tk
            scores = scores.masked_fill(~mask, float("-inf"))
            out = torch.softmax(scores, dim=-1) @ v
            out = out.transpose(1, 2).reshape(b, tq, D_MODEL)
            return self.o(out)

    class FeedForward(nn.Module):
        def __init__(self):
            super().__init__()
            self.ln = nn.LayerNorm(D_MODEL, eps=LN_EPS)
            self.w1 = nn.Linear(D_MODEL, FFN_DIM)
            self.w2 = nn.Linear(FFN_DIM, D_MODEL)

        def forward(self, x):
            return x + self.w2(torch.relu(self.w1(self.ln(x))))

    class Seq2Seq(nn.Module):
        def __init__(self):
            super().__init__()
            # One embedding matrix shared by the encoder input, the decoder
            # input and the output projection (the vocabulary is shared).
            self.emb = nn.Embedding(vocab_size, D_MODEL)
            nn.init.normal_(self.emb.weight, std=D_MODEL ** -0.5)
            self.register_buffer(
                "pe", torch.from_numpy(sinusoid_table(MAX_POSITIONS, D_MODEL))
            )
            # encoder layer
            self.enc_sa_ln = nn.LayerNorm(D_MODEL, eps=LN_EPS)
            self.enc_sa = MultiHeadAttention()
            self.enc_ffn = FeedForward()
            self.enc_ln = nn.LayerNorm(D_MODEL, eps=LN_EPS)
            # decoder layer
            self.dec_sa_ln = nn.LayerNorm(D_MODEL, eps=LN_EPS)
            self.dec_sa = MultiHeadAttention()
            self.dec_ca_ln = nn.LayerNorm(D_MODEL, eps=LN_EPS)
            self.dec_ca = MultiHeadAttention()
            self.dec_ffn = FeedForward()
            self.dec_ln = nn.LayerNorm(D_MODEL, eps=LN_EPS)
            self.proj_bias = nn.Parameter(torch.zeros(vocab_size))

        def embed(self, ids):
            return self.emb(ids) * math.sqrt(D_MODEL) + self.pe[: ids.shape[1]]

        def forward(self, src, src_mask, tgt_in):
            # src_mask: b, ts (True = real token)
            x = self.embed(src)
            key_mask = src_mask[:, None, None, :]
            h = self.enc_sa_ln(x)
            x = x + self.enc_sa(h, h, key_mask)
            x = self.enc_ffn(x)
            memory = self.enc_ln(x)

            y = self.embed(tgt_in)
            tt = tgt_in.shape[1]
            causal = torch.tril(torch.ones(tt, tt, dtype=torch.bool))[None, None]
            h = self.dec_sa_ln(y)
            y = y + self.dec_sa(h, h, causal)
            y = y + self.dec_ca(self.dec_ca_ln(y), memory, key_mask)
            y = self.dec_ffn(y)
            return F.linear(self.dec_ln(y), self.emb.weight, self.proj_bias)

    return Seq2Seq()


def train_model(sp, pairs, seed: int):
    import torch

    torch.manual_seed(seed)
    vocab_size = sp.get_piece_size()
    bos, eos, pad = sp.bos_id(), sp.eos_id(), sp.pad_id()
    srcs = [sp.encode(s) for s, _ in pairs]
    tgts = [sp.encode(t) for _, t in pairs]
    ts = max(map(len, srcs))
    tt = max(map(len, tgts)) + 1
    src = torch.full((len(pairs), ts), pad, dtype=torch.long)
    tgt_in = torch.full((len(pairs), tt), pad, dtype=torch.long)
    tgt_out = torch.full((len(pairs), tt), -100, dtype=torch.long)
    for i, (s, t) in enumerate(zip(srcs, tgts, strict=True)):
        src[i, : len(s)] = torch.tensor(s)
        tgt_in[i, : len(t) + 1] = torch.tensor([bos] + t)
        tgt_out[i, : len(t) + 1] = torch.tensor(t + [eos])
    src_mask = src != pad

    model = make_torch_model(vocab_size)
    opt = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100)
    model.train()
    loss = None
    for _ in range(TRAIN_STEPS):
        opt.zero_grad()
        logits = model(src, src_mask, tgt_in)
        loss = loss_fn(logits.reshape(-1, vocab_size), tgt_out.reshape(-1))
        loss.backward()
        opt.step()
    model.eval()
    return model, float(loss.detach())


def to_ct2_spec(model, vocab: list[str]):
    import numpy as np
    from ctranslate2.specs import common_spec, transformer_spec

    def arr(t):
        return np.ascontiguousarray(t.detach().cpu().numpy().astype(np.float32))

    def set_linear(spec, lin):
        spec.weight = arr(lin.weight)  # [out, in]
        spec.bias = arr(lin.bias)

    def set_ln(spec, ln):
        spec.gamma = arr(ln.weight)
        spec.beta = arr(ln.bias)

    def set_self_attention(spec, att):
        spec.linear[0].weight = np.concatenate(
            [arr(att.q.weight), arr(att.k.weight), arr(att.v.weight)], axis=0
        )
        spec.linear[0].bias = np.concatenate(
            [arr(att.q.bias), arr(att.k.bias), arr(att.v.bias)], axis=0
        )
        set_linear(spec.linear[1], att.o)

    def set_cross_attention(spec, att):
        set_linear(spec.linear[0], att.q)
        spec.linear[1].weight = np.concatenate(
            [arr(att.k.weight), arr(att.v.weight)], axis=0
        )
        spec.linear[1].bias = np.concatenate([arr(att.k.bias), arr(att.v.bias)], axis=0)
        set_linear(spec.linear[2], att.o)

    def set_ffn(spec, ffn):
        set_ln(spec.layer_norm, ffn.ln)
        set_linear(spec.linear_0, ffn.w1)
        set_linear(spec.linear_1, ffn.w2)

    spec = transformer_spec.TransformerSpec.from_config(
        (1, 1),
        NUM_HEADS,
        pre_norm=True,
        activation=common_spec.Activation.RELU,
    )
    spec.config.layer_norm_epsilon = LN_EPS
    # position_encodings.encodings stays unset: CTranslate2 then generates the
    # same sinusoidal table as sinusoid_table() on the fly.

    enc = spec.encoder
    emb = arr(model.emb.weight)
    enc.embeddings[0].weight = emb
    enc.scale_embeddings = True
    layer = enc.layer[0]
    set_ln(layer.self_attention.layer_norm, model.enc_sa_ln)
    set_self_attention(layer.self_attention, model.enc_sa)
    set_ffn(layer.ffn, model.enc_ffn)
    set_ln(enc.layer_norm, model.enc_ln)

    dec = spec.decoder
    dec.embeddings.weight = emb
    dec.scale_embeddings = True
    layer = dec.layer[0]
    set_ln(layer.self_attention.layer_norm, model.dec_sa_ln)
    set_self_attention(layer.self_attention, model.dec_sa)
    set_ln(layer.attention.layer_norm, model.dec_ca_ln)
    set_cross_attention(layer.attention, model.dec_ca)
    set_ffn(layer.ffn, model.dec_ffn)
    set_ln(dec.layer_norm, model.dec_ln)
    dec.projection.weight = emb
    dec.projection.bias = arr(model.proj_bias)

    spec.register_source_vocabulary(list(vocab))
    spec.register_target_vocabulary(list(vocab))
    spec.validate()
    spec.optimize(quantization=SAVE_QUANTIZATION)  # also aliases shared weights
    return spec


def metadata_for(from_code: str, to_code: str) -> dict:
    from_name, to_name = LANG_NAMES[from_code], LANG_NAMES[to_code]
    return {
        "package_version": PACKAGE_VERSION,
        "argos_version": ARGOS_VERSION,
        "from_code": from_code,
        "from_name": from_name,
        "to_code": to_code,
        "to_name": to_name,
        "type": "translate",
        "package_type": "translate",
        "name": f"{from_name} - {to_name} (tiny test model)",
        "description": (
            "Tiny over-fitted test model: translates only the sentences in "
            "pairs.json. Built by tools/build_test_models.py."
        ),
        "source_languages": [{"code": from_code, "name": from_name}],
        "target_languages": [{"code": to_code, "name": to_name}],
    }


def write_zip(pkg_dir: Path, zip_path: Path) -> None:
    """Zip pkg_dir (as the single top folder) with fixed timestamps."""
    top = pkg_dir.name
    files = sorted(p for p in pkg_dir.rglob("*") if p.is_file())
    dirs = sorted({p.parent for p in files} | {pkg_dir})
    tmp = zip_path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for d in dirs:
            rel = top if d == pkg_dir else f"{top}/{d.relative_to(pkg_dir).as_posix()}"
            info = zipfile.ZipInfo(rel + "/", date_time=ZIP_DATE)
            info.external_attr = (0o40755 << 16) | 0x10
            zf.writestr(info, b"")
        for f in files:
            rel = f"{top}/{f.relative_to(pkg_dir).as_posix()}"
            info = zipfile.ZipInfo(rel, date_time=ZIP_DATE)
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, f.read_bytes())
    os.replace(tmp, zip_path)


def build_package(from_code: str, to_code: str, out_dir: Path, max_tries: int) -> dict:
    import sentencepiece as spm
    import torch

    torch.set_num_threads(TORCH_THREADS)
    pairs = PAIRS[(from_code, to_code)]
    name = package_name(from_code, to_code)
    started = time.monotonic()

    with tempfile.TemporaryDirectory(prefix=f"build-{name}-") as tmp:
        tmp = Path(tmp)
        sentences = [s for s, _ in pairs] + [t for _, t in pairs]
        sp_model = train_sentencepiece(sentences, tmp)
        sp = spm.SentencePieceProcessor(model_file=str(sp_model))
        for _, target in pairs:
            pieces = sp.encode(target, out_type=str)
            if argos_decode(sp, pieces) != target or "<unk>" in pieces:
                raise SystemExit(f"{name}: target does not round-trip: {target!r}")
        vocab = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]

        pkg_dir = tmp / name
        for attempt in range(max_tries):
            seed = BASE_SEED + attempt
            model, loss = train_model(sp, pairs, seed)
            spec = to_ct2_spec(model, vocab)
            if pkg_dir.exists():
                shutil.rmtree(pkg_dir)
            (pkg_dir / "model").mkdir(parents=True)
            spec.save(str(pkg_dir / "model"))
            failures = check_pairs(pkg_dir / "model", sp_model, pairs)
            print(
                f"  {name}: seed {seed} loss {loss:.5f} -> "
                f"{'ok' if not failures else f'{len(failures)} failure(s)'}",
                flush=True,
            )
            for failure in failures:
                print(f"    {failure}", flush=True)
            if not failures:
                break
        else:
            raise SystemExit(
                f"{name}: no seed in {BASE_SEED}..{BASE_SEED + max_tries - 1} "
                "reproduced every pair exactly"
            )

        shutil.copyfile(sp_model, pkg_dir / "sentencepiece.model")
        pairs_json = json.dumps(
            [{"source": s, "target": t} for s, t in pairs], ensure_ascii=False, indent=2
        ) + "\n"
        (pkg_dir / "pairs.json").write_text(pairs_json, encoding="utf-8")
        (pkg_dir / "metadata.json").write_text(
            json.dumps(metadata_for(from_code, to_code), ensure_ascii=False, indent=2)
            + "\n",
            encoding="utf-8",
        )
        (pkg_dir / "README.md").write_text(
            f"# {name}\n\nTiny over-fitted {LANG_NAMES[from_code]} -> "
            f"{LANG_NAMES[to_code]} test model. It only knows the sentences in "
            "pairs.json. Built by tools/build_test_models.py (seed "
            f"{seed}).\n",
            encoding="utf-8",
        )
        out_dir.mkdir(parents=True, exist_ok=True)
        zip_path = out_dir / f"{name}.argosmodel"
        write_zip(pkg_dir, zip_path)
        (out_dir / f"{name}.pairs.json").write_text(pairs_json, encoding="utf-8")

    elapsed = time.monotonic() - started
    return {"name": name, "seed": seed, "seconds": elapsed, "bytes": zip_path.stat().st_size}


# ---------------------------------------------------------------------------
# --verify DIR
# ---------------------------------------------------------------------------

def verify_dir(directory: Path) -> int:
    packages = sorted(directory.glob("*.argosmodel"))
    if not packages:
        print(f"no .argosmodel files in {directory}")
        return 1
    bad = 0
    for path in packages:
        with tempfile.TemporaryDirectory(prefix="verify-argosmodel-") as tmp:
            with zipfile.ZipFile(path) as zf:
                tops = {n.split("/", 1)[0] for n in zf.namelist()}
                zf.extractall(tmp)
            if len(tops) != 1:
                print(f"FAIL {path.name}: expected one top folder, got {sorted(tops)}")
                bad += 1
                continue
            root = Path(tmp) / tops.pop()
            meta = json.loads((root / "metadata.json").read_text(encoding="utf-8"))
            pairs_in = json.loads((root / "pairs.json").read_text(encoding="utf-8"))
            beside = path.with_name(path.name[: -len(".argosmodel")] + ".pairs.json")
            problems = []
            if beside.exists():
                if json.loads(beside.read_text(encoding="utf-8")) != pairs_in:
                    problems.append(f"{beside.name} differs from pairs.json in the package")
            else:
                problems.append(f"missing {beside.name}")
            for sub in ("minisbd", "stanza"):
                if (root / sub).exists():
                    problems.append(f"unexpected {sub}/ folder")
            pairs = [(p["source"], p["target"]) for p in pairs_in]
            problems += check_pairs(root / "model", root / "sentencepiece.model", pairs)
            status = "OK  " if not problems else "FAIL"
            print(
                f"{status} {path.name}: {meta['from_code']}->{meta['to_code']} "
                f"{len(pairs)} pairs, "
                + ("all exact (beam 4 and 1; compute_type "
                   + "/".join(COMPUTE_TYPES) + ")" if not problems else "; ".join(problems))
            )
            if problems:
                bad += 1
    return 1 if bad else 0


def check_pair_table() -> None:
    """Sanity rules for PAIRS that the tests rely on."""
    for key, pairs in PAIRS.items():
        for source, target in pairs:
            for text in (source, target):
                if "\n" in text or text != text.strip() or "_" in text:
                    raise SystemExit(f"{key}: not a clean one-line sentence: {text!r}")
    pivot = {t for _, t in PAIRS[("tr", "en")]} & {s for s, _ in PAIRS[("en", "de")]}
    if len(pivot) < 2:
        raise SystemExit("en->de must take at least two tr->en targets as sources")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--out", type=Path, help="build all packages into this directory")
    group.add_argument("--verify", type=Path, metavar="DIR",
                       help="check every .argosmodel in DIR against its pairs")
    parser.add_argument("--only", action="append", metavar="FROM_TO",
                        help="build only this pair, e.g. tr_en (repeatable)")
    parser.add_argument("--max-tries", type=int, default=MAX_TRIES,
                        help="seeds to try per package before failing")
    args = parser.parse_args(argv)

    if args.verify is not None:
        return verify_dir(args.verify)

    wanted = list(PAIRS)
    if args.only:
        wanted = [k for k in PAIRS if f"{k[0]}_{k[1]}" in set(args.only)]
        if not wanted:
            parser.error(f"--only matched nothing in {[f'{a}_{b}' for a, b in PAIRS]}")
    check_pair_table()
    results = []
    for from_code, to_code in wanted:
        results.append(build_package(from_code, to_code, args.out, args.max_tries))
    for r in results:
        print(f"built {r['name']}.argosmodel  {r['bytes']} bytes  "
              f"seed {r['seed']}  {r['seconds']:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
