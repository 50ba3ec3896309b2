"""Input: ``.txt`` files, folders of them and ``.jsonl`` corpora -> :class:`Article` records.

Every input article yields exactly one record; one that cannot be read carries an ``error`` and
the batch goes on. Text is decoded from UTF-8 (with or without BOM), UTF-16 with BOM, or
CP949/EUC-KR; HTML markup is blanked out character for character so that offsets still point into
the text as read. The publication date comes from, in order: a metadata file (``articles.csv``
beside the inputs or ``--metadata``), the JSONL ``published`` field, a header line in the text.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import html
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from . import layout

METADATA_NAME = "articles.csv"
MAX_ARTICLE_CHARS = 2_000_000
MAX_ID_CHARS = 512
TEXT_SUFFIXES = {".txt", ".html", ".htm"}
CORPUS_SUFFIXES = {".jsonl"}


@dataclass
class Article:
    article_id: str
    source: str
    text: str = ""
    published: dt.date | None = None
    title: str = ""
    publisher: str = ""
    error: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.error


class InputError(ValueError):
    """An article that cannot be processed; the message is what the user reads."""


# --------------------------------------------------------------------------- decoding

def decode_bytes(data: bytes) -> tuple[str, str]:
    """(text, encoding) for a file's bytes; raises InputError for binary or unknown encodings."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig"
    for bom, name in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(name), "utf-16"
            except UnicodeDecodeError as exc:
                raise InputError(f"broken UTF-16 text: {exc}") from None
    if b"\x00" in data:
        raise InputError("binary file (NUL bytes): not a text article")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp949")  # a superset of EUC-KR
    except UnicodeDecodeError:
        raise InputError("not UTF-8, UTF-16 or CP949/EUC-KR text: cannot decode") from None
    if sum(1 for ch in text if "가" <= ch <= "힣") < len(text.strip()) * 0.05 and len(text.strip()) > 20:
        raise InputError("binary or unknown encoding: decodes as CP949 but holds almost no Hangul")
    return text, "cp949"


_TAG_RE = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>|<[A-Za-z/!][^<>]*>", re.S | re.I)
_BLOCK_RE = re.compile(r"<\s*/?\s*(p|br|div|li|h[1-6]|tr|section|article)\b", re.I)
_ENTITY_RE = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);")


def looks_like_html(text: str) -> bool:
    return len(re.findall(r"</?(?:p|div|span|br|a|html|body|script|style|h[1-6]|li|table)\b", text, re.I)) >= 2


def blank_html(text: str) -> str:
    """Markup replaced by spaces (a newline for block tags) of the same length, entities decoded
    and padded, so every character keeps its offset into the text as read."""
    def tag(match: re.Match) -> str:
        piece = match.group()
        fill = "\n" if _BLOCK_RE.match(piece) else " "
        return fill + " " * (len(piece) - 1)

    def entity(match: re.Match) -> str:
        char = html.unescape(match.group())
        if len(char) != 1:
            return match.group()
        if char == "\xa0":
            char = " "
        return char + " " * (len(match.group()) - 1)

    blanked = _TAG_RE.sub(tag, text)
    return _ENTITY_RE.sub(entity, blanked)


def unsafe_id_reason(article_id: str) -> str:
    """Why an article id is refused ("" when it is fine).

    Ids are data, never file names (outputs are named by table, the cache by content hash), but
    an id that looks like a path (``../../x``, ``/etc/passwd``, ``C:\\x``) or holds control
    characters is a sign of broken or hostile input and would be a trap for downstream tools.
    """
    if not article_id.strip():
        return "empty article id"
    if len(article_id) > MAX_ID_CHARS:
        return f"article id longer than {MAX_ID_CHARS} characters"
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in article_id):
        return f"article id {article_id!r} holds control characters"
    parts = re.split(r"[/\\]", article_id)
    if ".." in parts or article_id.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:[/\\]", article_id):
        return f"unsafe article id {article_id!r}: looks like a file path (absolute or with '..')"
    return ""


# --------------------------------------------------------------------------- metadata

def parse_date(value: object) -> dt.date | None:
    """An ISO-like date (``2025-09-10``, ``2025.09.10``, ``2025/9/10``, with an optional time)."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InputError(f"invalid published date {value!r}: expected a YYYY-MM-DD string")
    match = re.match(r"^\s*(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?:[T\s].*)?$", value)
    if not match:
        raise InputError(f"invalid published date {value!r}: expected YYYY-MM-DD")
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError:
        raise InputError(f"invalid published date {value!r}: no such day") from None


def read_metadata_header(path: Path) -> list[str]:
    """The column names of a metadata CSV (raises InputError / OSError when it cannot be read)."""
    text, _ = decode_bytes(path.read_bytes())
    return [c.strip() for c in next(csv.reader(io.StringIO(text, newline="")), [])]


def read_metadata(path: Path) -> dict[str, dict[str, str]]:
    """``articles.csv``: id, published, publisher, title (any extra columns are ignored)."""
    try:
        text, _ = decode_bytes(path.read_bytes())
    except InputError as exc:
        raise InputError(f"cannot read metadata {path}: {exc}") from None
    return {row["id"].strip(): row for row in csv.DictReader(io.StringIO(text, newline=""))
            if isinstance(row.get("id"), str) and row["id"].strip()}


# --------------------------------------------------------------------------- articles

_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")


def _without_surrogates(text: str) -> str:
    """Lone surrogates (from JSON escapes such as ``\\ud800``) cannot be written as UTF-8:
    each becomes U+FFFD, one character for one, so offsets stay put."""
    return _SURROGATE_RE.sub("\ufffd", text)


def _finish(article: Article, meta: dict[str, str] | None, field_published: object = None) -> Article:
    """Clean the text and fill date and title; turn problems into the article's error."""
    article.article_id = _without_surrogates(article.article_id)
    article.title = _without_surrogates(article.title)
    try:
        cleaned = _without_surrogates(article.text)
        if cleaned != article.text:
            article.text = cleaned
            article.warnings.append("invalid characters (lone surrogates) replaced by U+FFFD")
        if not article.text.strip():
            raise InputError("empty article: no text")
        if len(article.text) > MAX_ARTICLE_CHARS:
            raise InputError(f"article too large: {len(article.text):,} characters (limit {MAX_ARTICLE_CHARS:,})")
        if looks_like_html(article.text):
            article.text = blank_html(article.text)
            article.warnings.append("HTML markup blanked out")
        published = None
        if meta and meta.get("published"):
            published = _date_or_warning(article, meta["published"], f"metadata {meta.get(_META_FILE, '')}".strip())
        if published is None and field_published not in (None, ""):
            published = _date_or_warning(article, field_published, "'published'")
        if published is None:
            published = layout.header_date(article.text)
        article.published = published
        if meta:
            article.title = article.title or meta.get("title", "") or ""
            article.publisher = meta.get("publisher", "") or ""
            if meta.get(_META_NOTE):
                article.source = f"{article.source} ({meta[_META_NOTE]})"
        article.title = article.title or title_from_text(article.text)
    except InputError as exc:
        article.error = str(exc)
    return article


def _date_or_warning(article: Article, value: object, where: str) -> dt.date | None:
    """A malformed date costs the article its date, not the article: a warning, and the next source."""
    try:
        return parse_date(value)
    except InputError as exc:
        article.warnings.append(f"{where}: {exc}; date ignored")
        return None


# A headline is short and does not end a sentence: a first line that is longer (an article that
# arrived as one line) or ends like a sentence is body text, and the article has no title.
MAX_TITLE_CHARS = 150


def title_from_text(text: str) -> str:
    """The headline of the text (its first line when that is a headline), or ""."""
    title = layout.headline(text)
    if len(title) > MAX_TITLE_CHARS or layout._SENTENCE_END.search(title):
        return ""
    return title


def read_text_file(path: Path, metadata: dict[str, dict[str, str]]) -> Article:
    article = Article(article_id=path.stem, source=str(path))
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_CHARS * 4:  # more bytes than any allowed article can take
            raise InputError(f"article too large: {size:,} bytes (limit {MAX_ARTICLE_CHARS:,} characters)")
        article.text, encoding = decode_bytes(path.read_bytes())
        if encoding not in ("utf-8", "utf-8-sig"):
            article.warnings.append(f"decoded from {encoding}")
    except (InputError, OSError) as exc:
        article.error = str(exc)
        return article
    return _finish(article, metadata.get(path.stem))


def _corpus_lines(path: Path) -> Iterator[tuple[int, str | None, str]]:
    """(line number, text or None, problem) for each line of a JSONL corpus, read as a stream.

    A file with a UTF-8 or UTF-16 BOM is decoded as such; otherwise each line is UTF-8, or
    CP949/EUC-KR when it is not valid UTF-8 (corpora glued together from several sources).
    """
    with open(path, "rb") as handle:
        head = handle.read(4)
        handle.seek(0)
        encoding = None
        if head.startswith(codecs.BOM_UTF8):
            encoding = "utf-8-sig"
        elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = "utf-16"
        if encoding:
            stream = io.TextIOWrapper(handle, encoding=encoding, newline="")
            number = 0
            try:
                for number, line in enumerate(stream, start=1):
                    yield number, line, ""
            except UnicodeDecodeError as exc:
                yield number + 1, None, f"cannot decode the rest of the corpus as {encoding}: {exc.reason}"
            return
        for number, raw in enumerate(handle, start=1):
            try:
                yield number, raw.decode("utf-8"), ""
                continue
            except UnicodeDecodeError:
                pass
            try:
                yield number, raw.decode("cp949"), ""
            except UnicodeDecodeError:
                yield number, None, "line is not UTF-8 or CP949/EUC-KR text"


def read_jsonl(path: Path, metadata: dict[str, dict[str, str]]) -> Iterator[Article]:
    """One article per line, streamed; a malformed line becomes an error record ``file#line``."""
    try:
        lines = _corpus_lines(path)
        first = next(lines, None)
    except OSError as exc:
        yield Article(article_id=path.stem, source=str(path), error=f"cannot read corpus: {exc}")
        return
    if first is None:
        return
    for number, line, problem in _chain_first(first, lines):
        source = f"{path}#{number}"
        fallback_id = f"{path.stem}#{number}"
        if line is None:
            yield Article(article_id=fallback_id, source=source, error=problem)
            continue
        if not line.strip():
            continue
        if "\x00" in line:
            yield Article(article_id=fallback_id, source=source, error="binary data (NUL bytes) on a JSON line")
            continue
        try:
            row = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            yield Article(article_id=fallback_id, source=source,
                          error=f"malformed JSON line: {getattr(exc, 'msg', type(exc).__name__)}")
            continue
        if not isinstance(row, dict):
            yield Article(article_id=fallback_id, source=source, error="JSON line is not an object")
            continue
        article_id = row.get("id")
        article_id = str(article_id) if article_id not in (None, "") else fallback_id
        text = row.get("text")
        if not isinstance(text, str):
            yield Article(article_id=article_id, source=source,
                          error="missing 'text'" if text is None else f"'text' is {type(text).__name__}, not a string")
            continue
        title = row.get("title") if isinstance(row.get("title"), str) else ""
        article = Article(article_id=article_id, source=source, text=text, title=title)
        yield _finish(article, metadata.get(article_id), row.get("published"))


def _chain_first(first, rest):
    yield first
    yield from rest


def iter_input_files(inputs: Iterable[str | Path]) -> Iterator[Path]:
    suffixes = TEXT_SUFFIXES | CORPUS_SUFFIXES
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*")
                              if p.is_file() and p.suffix.lower() in suffixes and not p.name.startswith("."))
        else:
            yield path


def count_articles(inputs: Iterable[str | Path]) -> int:
    """A quick estimate of how many articles the inputs hold (for the progress bar's ETA)."""
    total = 0
    for path in iter_input_files(inputs):
        if path.suffix.lower() in CORPUS_SUFFIXES:
            try:
                with open(path, "rb") as handle:
                    total += sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
            except OSError:
                total += 1
        else:
            total += 1
    return total


_META_FILE, _META_NOTE = "\0file", "\0note"  # keys no CSV column can have


def load_metadata(inputs: list[str | Path], metadata_path: str | Path | None = None) -> dict[str, dict[str, str]]:
    """id -> metadata row, from the inputs' folders' ``articles.csv`` and then ``metadata_path``:
    an explicit file wins over a folder's, and says so in the articles' ``source``."""
    metadata: dict[str, dict[str, str]] = {}
    for candidate in [Path(p) / METADATA_NAME for p in inputs if Path(p).is_dir()]:
        if candidate.exists():
            for key, row in read_metadata(candidate).items():
                metadata[key] = {**row, _META_FILE: str(candidate)}
    if metadata_path:
        for key, row in read_metadata(Path(metadata_path)).items():
            before = metadata.get(key, {}).get(_META_FILE)
            note = f"metadata {metadata_path}" + (f", over {before}" if before else "")
            metadata[key] = {**row, _META_FILE: str(metadata_path), _META_NOTE: note}
    return metadata


def read_articles(inputs: Iterable[str | Path], metadata_path: str | Path | None = None) -> Iterator[Article]:
    """All articles of the inputs, in order, bad ones included as error records; ids are unique.

    A generator: articles are read one at a time, so a corpus of any size streams through.
    """
    inputs = list(inputs)
    metadata = load_metadata(inputs, metadata_path)
    seen: dict[str, str] = {}
    for path in iter_input_files(inputs):
        if not path.exists():
            yield Article(article_id=path.stem, source=str(path), error=f"no such file: {path}")
            continue
        articles = read_jsonl(path, metadata) if path.suffix.lower() in CORPUS_SUFFIXES \
            else [read_text_file(path, metadata)]
        for article in articles:
            article.article_id = _without_surrogates(article.article_id)
            reason = unsafe_id_reason(article.article_id)
            if reason:
                article.error = reason
                article.text = ""
            elif article.article_id in seen:
                article.error = f"duplicate article id {article.article_id!r} (first read from {seen[article.article_id]})"
                article.article_id = f"{article.article_id}#dup@{article.source}"
            else:
                seen[article.article_id] = article.source
            yield article
