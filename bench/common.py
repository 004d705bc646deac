"""Shared pieces of the benchmarks: the data sample, the feature sets, CPU pinning, machine facts.

Everything that decides *what* is measured lives here, so that every script measures the same
thing and a later feature (``stance``) is added in one place: :data:`FEATURE_SETS`.

Heavy imports (spaCy, numpy, the service) are done inside functions: a benchmark must be able to
pin itself to one core and set the BLAS thread variables *before* numpy is imported.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NEWS = Path("data/news/saudinewsnet_dev.jsonl.gz")  # relative to ../shared; research-only data
VENV_BIN = Path(sys.executable).parent

# (name in the tables, features passed to the analyzer); each set adds one feature to the previous.
FEATURE_SETS: list[tuple[str, list[str]]] = [
    ("entities", ["entities"]),
    ("+quotes", ["entities", "quotes"]),
    ("+stance", ["entities", "quotes", "stance"]),
]
# Field of the Analysis that carries each feature's result: a feature is implemented when the
# analyzer fills it in (an unimplemented feature leaves it UNSET and is reported as such).
RESULT_FIELD = {"entities": "entities", "quotes": "quotes", "stance": "stances"}

SAMPLE_SIZE = 500  # articles
ARTICLE_WORDS = (380, 420)  # the HTTP article: the first article of the file with this many words
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")
QUIET_LOAD = 0.6  # 1-minute load average under which the machine counts as quiet


def words(text: str) -> int:
    """Words = whitespace-separated tokens of the text (the unit of every throughput figure)."""
    return len(text.split())


def shared_dir(arg: str | None = None) -> Path:
    return Path(arg or os.environ.get("QAWL_SHARED") or ROOT.parent / "shared").resolve()


def news_path(shared: Path) -> Path:
    return shared / NEWS


def _articles(path: Path) -> Iterator[str]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            content = json.loads(line).get("content") or ""
            if content.strip():
                yield content


@dataclass
class Sample:
    texts: list[str]
    definition: str
    digest: str  # sha256 of the texts, to tell whether two runs measured the same text
    words: int = field(init=False)

    def __post_init__(self) -> None:
        self.words = sum(words(t) for t in self.texts)


def _digest(texts: Iterable[str]) -> str:
    h = hashlib.sha256()
    for t in texts:
        h.update(t.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:16]


def load_sample(shared: Path, n: int = SAMPLE_SIZE) -> Sample:
    """The first ``n`` non-empty articles of the news file, in file order (deterministic)."""
    texts: list[str] = []
    for text in _articles(news_path(shared)):
        texts.append(text)
        if len(texts) >= n:
            break
    definition = f"first {len(texts)} non-empty articles (file order, field `content`) of `{NEWS}`"
    return Sample(texts, definition, _digest(texts))


def load_article(shared: Path, lo: int = ARTICLE_WORDS[0], hi: int = ARTICLE_WORDS[1]) -> Sample:
    """The HTTP article: the first article of the file with ``lo``..``hi`` words."""
    for i, text in enumerate(_articles(news_path(shared))):
        if lo <= words(text) <= hi:
            definition = f"article #{i} (0-based, non-empty articles in file order) of `{NEWS}`"
            return Sample([text], definition, _digest([text]))
    raise LookupError(f"no article of {lo}..{hi} words in {news_path(shared)}")


def text_of_words(texts: Iterable[str], n: int) -> str:
    """A document of exactly ``n`` words: articles joined by blank lines, cut after the n-th word
    (the original spacing and punctuation are kept)."""
    parts: list[str] = []
    have = 0
    for text in texts:
        parts.append(text.strip())
        have += words(text)
        if have >= n:
            break
    if have < n:
        raise ValueError(f"the texts hold only {have} words, {n} asked")
    joined = "\n\n".join(parts)
    count = 0
    in_word = False
    for i, ch in enumerate(joined):
        if ch.isspace():
            if in_word and count == n:
                return joined[:i]
            in_word = False
        elif not in_word:
            in_word = True
            count += 1
    return joined


def text_of_chars(texts: Iterable[str], n: int) -> str:
    """A document of at most ``n`` characters: articles joined by blank lines, cut at the last
    whitespace before the limit."""
    joined = ""
    for text in texts:
        joined = f"{joined}\n\n{text.strip()}" if joined else text.strip()
        if len(joined) >= n:
            break
    if len(joined) <= n:
        return joined
    cut = joined[:n]
    return cut[: max(cut.rfind(" "), cut.rfind("\n"))].rstrip()


def single_core(cpu: int = 0) -> int:
    """Pin this process to one CPU and make every BLAS/OpenMP pool single-threaded.
    Call before numpy (spaCy, thinc) is imported. Returns the CPU."""
    for var in THREAD_VARS:
        os.environ[var] = "1"
    if hasattr(os, "sched_setaffinity"):
        allowed = sorted(os.sched_getaffinity(0))
        cpu = cpu if cpu in allowed else allowed[0]
        os.sched_setaffinity(0, {cpu})
    return cpu


def single_core_env() -> dict[str, str]:
    return {**os.environ, **dict.fromkeys(THREAD_VARS, "1")}


def loadavg() -> float:
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return float("nan")


class CpuMonitor:
    """How busy the machine was with *other* work during a measurement.

    ``foreign_cores`` = (CPU time the whole machine spent busy - CPU time of our own processes)
    / wall time: 0.0 on a quiet machine, 1.0 when another program kept one core busy throughout.
    """

    def __init__(self, own_pids: Callable[[], Iterable[int]] | None = None) -> None:
        self._own_pids = own_pids or (lambda: [os.getpid()])
        self._start: tuple[float, float, dict[int, float], float] | None = None
        self.result: dict[str, float] = {}

    @staticmethod
    def _busy() -> float:
        import psutil

        t = psutil.cpu_times()
        return sum(t) - t.idle - getattr(t, "iowait", 0.0)

    def _own(self) -> dict[int, float]:
        import psutil

        out: dict[int, float] = {}
        for pid in self._own_pids():
            try:
                c = psutil.Process(pid).cpu_times()
            except psutil.Error:
                continue
            out[pid] = c.user + c.system
        return out

    def start(self) -> None:
        self._start = (time.monotonic(), self._busy(), self._own(), loadavg())

    def stop(self, other_own_s: float = 0.0) -> dict[str, float]:
        """``other_own_s``: CPU seconds of our own processes that exited meanwhile (not in the tree)."""
        assert self._start is not None, "start() first"
        t0, busy0, own0, load0 = self._start
        wall = time.monotonic() - t0
        busy = self._busy() - busy0
        own1 = self._own()
        own = sum(v - own0.get(pid, 0.0) for pid, v in own1.items())
        self.result = {
            "wall_s": wall,
            "own_cores": own / wall if wall else 0.0,
            "foreign_cores": max(0.0, (busy - own - other_own_s) / wall) if wall else 0.0,
            "loadavg_start": load0,
            "loadavg_end": loadavg(),
        }
        return self.result


@contextmanager
def monitored(record: dict[str, Any], own_pids: Callable[[], Iterable[int]] | None = None) -> Iterator[None]:
    """Run the block under a :class:`CpuMonitor`; its figures go to ``record["cpu"]``."""
    mon = CpuMonitor(own_pids)
    mon.start()
    try:
        yield
    finally:
        record["cpu"] = mon.stop()


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError:
        return ""


def _version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "-"


def machine() -> dict[str, Any]:
    """Facts about the machine and the software measured."""
    cpuinfo = _read("/proc/cpuinfo")
    model = next((ln.split(":", 1)[1].strip() for ln in cpuinfo.splitlines() if "model name" in ln), "")
    mem_kb = next(
        (int(ln.split()[1]) for ln in _read("/proc/meminfo").splitlines() if ln.startswith("MemTotal")), 0
    )
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--", "service", "sdk"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        commit, dirty = "", ""
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "cpu": model or platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "cores_usable": affinity,
        "memory_gib": round(mem_kb / 2**20, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "commit": commit + ("+local changes in service/ or sdk/" if dirty else ""),
        "packages": {
            d: _version(d)
            for d in ("spacy", "thinc", "numpy", "litestar", "msgspec", "uvicorn", "httpx", "qawl-service")
        },
        "loadavg": Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else [],
    }


def write_json(path: str | Path | None, data: Any) -> None:
    payload = json.dumps(data, ensure_ascii=False, indent=2)
    if path is None or str(path) == "-":
        sys.stdout.write(payload + "\n")
    else:
        Path(path).write_text(payload + "\n", encoding="utf-8")


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))
    return ordered[k]


def python_cmd(module: str, *args: str) -> list[str]:
    """Command line running ``python -m bench.<module>`` with this interpreter."""
    return [sys.executable, "-m", f"bench.{module}", *args]


class Stopwatch:
    """Wall time and this thread's CPU time of a block. On a quiet machine the two agree; when
    other work takes the core, CPU time still estimates the uncontended wall time (better, not
    perfectly: a busy sibling core also slows the caches)."""

    __slots__ = ("_c", "_w", "cpu", "wall")

    def __enter__(self) -> Stopwatch:
        self._w, self._c = time.perf_counter(), time.thread_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self._w
        self.cpu = time.thread_time() - self._c


class _Timed:
    """A pipeline step that adds its own wall and CPU seconds to ``times[name]``."""

    def __init__(self, name: str, step: Any, times: dict[str, list[float]]) -> None:
        self.name, self.step, self.times = name, step, times

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        watch = Stopwatch()
        try:
            with watch:
                return self.step(*args, **kwargs)
        finally:
            acc = self.times.setdefault(self.name, [0.0, 0.0])
            acc[0] += watch.wall
            acc[1] += watch.cpu

    def __getattr__(self, attr: str) -> Any:  # everything but __call__ is the step's own
        return getattr(self.step, attr)


@contextmanager
def component_timers(nlp: Any) -> Iterator[dict[str, list[float]]]:
    """Time the tokenizer and each component of a spaCy pipeline while the caller uses it as
    usual (``analyzer.analyze`` included): yields ``{step: [wall seconds, CPU seconds]}``,
    accumulated. Per-document calls only (``nlp.pipe`` would bypass batched components' timers)."""
    times: dict[str, list[float]] = {}
    components = list(nlp._components)  # spaCy's (name, component) list, wrapped in place
    tokenizer = nlp.tokenizer
    nlp._components[:] = [(name, _Timed(name, proc, times)) for name, proc in components]
    nlp.tokenizer = _Timed("tokenizer", tokenizer, times)
    try:
        yield times
    finally:
        nlp._components[:] = components
        nlp.tokenizer = tokenizer
