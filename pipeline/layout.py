"""Article layout: which parts of a news text are metadata, headline block, captions, byline, body.

Korean news pages pasted as text begin with a headline block (headline, sub-headlines: lines
without sentence-final punctuation), may carry header lines (``date 2025-09-10``,
``입력 2025.09.10 14:03``, ``수정``), photo captions ending in a credit (``연합뉴스``, ``사진=...``),
and end with a byline (``김대영 한경닷컴 기자 kdy@hankyung.com``). The entity stage labels
mentions in every region except ``meta``; the reader takes the publication date and title from here.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from .resources import read_tsv

META = "meta"
HEADLINE = "headline"
SUBHEADLINE = "subheadline"
CAPTION = "caption"
BYLINE = "byline"
BODY = "body"

_DATE = r"(?P<y>(?:19|20)\d\d)[-./년]\s?(?P<m>\d{1,2})[-./월]\s?(?P<d>\d{1,2})일?\.?"
_CLOCK = r"(?:\s+(?:오전|오후)?\s?\d{1,2}:\d{2}(?::\d{2})?)?"
# A header line: an optional key (date, 입력, 수정, 등록, 기사입력, 송고 ...) with an optional date + time.
_HEADER_KEYS = r"(?:date|published|입력|수정|등록|기사입력|최종수정|송고|업데이트)"
HEADER_RE = re.compile(rf"^\s*{_HEADER_KEYS}\s*:?\s*(?:{_DATE}{_CLOCK})?\s*", re.IGNORECASE)
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_CREDIT_LINE_END = re.compile(r"(?:사진|자료|그래픽|영상)\s*=\s*\S+[\])]?$")
_SENTENCE_END = re.compile(r"[.!?。…]['\"’”」』)\]]*\s*$|(?:다|요|죠|까)\s*$")


@dataclass(frozen=True)
class Region:
    start: int
    end: int
    kind: str


# Resource lists are read once per process, like the entity stage's lexicons.
@lru_cache(maxsize=1)
def _credit_endings() -> tuple[tuple[str, ...], int]:
    """(the caption endings `` CREDIT`` and ``/CREDIT`` of every photo credit, length of the longest credit)."""
    credits = [row["form"] for row in read_tsv("photo_credits.tsv")]
    return tuple(sep + credit for credit in credits for sep in " /"), max(map(len, credits), default=0)


@lru_cache(maxsize=1)
def _byline_titles() -> tuple[str, ...]:
    return tuple(row["form"] for row in read_tsv("byline_titles.tsv"))


def parse_header_date(line: str) -> dt.date | None:
    """The date on a header line such as ``date 2025-09-10`` or ``입력 2025.09.10 14:03``."""
    match = HEADER_RE.match(line)
    if not match or match.group("y") is None:
        return None
    try:
        return dt.date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
    except ValueError:
        return None


def is_byline(line: str) -> bool:
    """A short line naming a reporter: ``NAME [OUTLET] 기자 [e-mail]`` or just an e-mail."""
    stripped = line.strip()
    if not stripped or len(stripped) > 80:
        return False
    without_mail = EMAIL_RE.sub("", stripped).strip(" =/()[]<>")
    if not without_mail:
        return bool(EMAIL_RE.search(stripped))
    words = without_mail.split()
    return len(words) <= 5 and any(words[-1].endswith(t) or t in words for t in _byline_titles()) \
        and not _SENTENCE_END.search(without_mail)


def is_caption(line: str) -> bool:
    """A photo caption: a line ending in a photo credit (``... 연합뉴스``, ``/사진=...``)."""
    stripped = line.strip()
    if _CREDIT_LINE_END.search(stripped):
        return True
    endings, longest = _credit_endings()
    return stripped.endswith(endings) and len(stripped) > longest + 10


def article_regions(text: str) -> list[Region]:
    """Split ``text`` into layout regions (every non-blank line is covered by at least one region)."""
    regions: list[Region] = []
    lines = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
    in_header_block = True
    for index, (start, end, line) in enumerate(lines):
        header = HEADER_RE.match(line)
        if header and header.end() > header.start() and (header.group("y") or not line[header.end():].strip()):
            meta_end = start + header.end()
            regions.append(Region(start, meta_end, META))
            start = meta_end
            line = text[start:end]
            if not line.strip():
                continue
        is_last = index == len(lines) - 1
        if is_last and is_byline(line):
            regions.append(Region(start, end, BYLINE))
            continue
        if is_caption(line):
            regions.append(Region(start, end, CAPTION))
            continue
        if in_header_block and not _SENTENCE_END.search(line):
            kind = HEADLINE if not any(r.kind in (HEADLINE, SUBHEADLINE) for r in regions) else SUBHEADLINE
            regions.append(Region(start, end, kind))
            continue
        if _SENTENCE_END.search(line) or len(line) > 120:
            in_header_block = False
            regions.append(Region(start, end, BODY))
        else:
            # A short line without final punctuation inside the body: an inter-title.
            regions.append(Region(start, end, SUBHEADLINE))
    return regions


def header_date(text: str) -> dt.date | None:
    """The publication date from the first header line that carries one."""
    for region in article_regions(text):
        if region.kind == META:
            found = parse_header_date(text[region.start:region.end])
            if found:
                return found
    return None


def headline(text: str) -> str:
    """The article's first headline line, if it has a headline block."""
    for region in article_regions(text):
        if region.kind == HEADLINE:
            return text[region.start:region.end].strip()
    return ""
