"""Comments as they come from a blog: the WordPress REST API, a comment feed (WordPress RSS, Blogger
Atom) or a CSV export, read into one shape.

Everything here is hostile input: a malformed document yields no comments (the collection goes on
and says why); an odd comment (no id, a date that is not one, a field of the wrong type) is dropped
alone; text is cleaned of NUL and control characters and capped.
"""

import csv
import html
import io
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import feedparser

from ambassade.lib.clean import clean_text

MAX_TEXT = 5_000
MAX_NAME = 200
MAX_URL = 500
_TAGS = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"[ \t\r\f\v]+")


class Unreadable(ValueError):
    """The whole document is unreadable (not JSON, not a feed, not a CSV)."""


@dataclass
class Comment:
    external_id: str
    author_name: str
    text: str
    posted_at: datetime
    author_url: str = ""
    email: str = ""
    parent_id: str = ""
    by_blog_user: bool = False  # WordPress: written by a registered user of the blog (its author)


def plain(fragment: str, cap: int = MAX_TEXT) -> str:
    """HTML to text: tags dropped, entities decoded, cleaned, capped (a 10 MB comment is 5,000 characters)."""
    text = html.unescape(_TAGS.sub(" ", (fragment or "")[: cap * 20]))
    lines = [_SPACES.sub(" ", line).strip() for line in clean_text(text).splitlines()]
    return "\n".join(line for line in lines if line)[:cap]


def _short(value, cap: int) -> str:
    return plain(value if isinstance(value, str) else "", cap).replace("\n", " ")


def _when(value) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if not isinstance(value, str) or not value.strip():
        raise ValueError("date manquante")
    parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace(" ", "T", 1))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


_WP_COMMENT = re.compile(r"#comment-(\d+)$")


def comment_number(guid) -> str:
    """WordPress's feed names a comment '…?p=12#comment-345'; its REST API and its CSV export say 345: one id
    for one comment, whichever way it came in."""
    found = _WP_COMMENT.search(guid) if isinstance(guid, str) else None
    return found.group(1) if found else guid


def _comment(**fields) -> Comment:
    external_id = clean_text(str(fields.pop("external_id") or "")).strip()[:200]
    if not external_id:
        raise ValueError("commentaire sans identifiant")
    return Comment(external_id=external_id, **fields)


def parse_wp_rest(body: bytes) -> tuple[list[Comment], int]:
    """One page of /wp-json/wp/v2/comments: (comments, how many items were dropped as unreadable)."""
    try:
        items = json.loads(body.decode("utf-8", errors="replace"))
    except ValueError as error:
        raise Unreadable(f"JSON illisible : {error}") from None
    if not isinstance(items, list):
        raise Unreadable("une liste de commentaires était attendue")
    comments, dropped = [], 0
    for item in items:
        try:
            content = item.get("content") or {}
            comments.append(_comment(
                external_id=item["id"],
                author_name=_short(item.get("author_name"), MAX_NAME),
                author_url=_short(item.get("author_url"), MAX_URL),
                text=plain(content.get("rendered", "") if isinstance(content, dict) else ""),
                posted_at=_when(item.get("date_gmt") or item.get("date")),
                parent_id=str(item.get("parent") or "") if str(item.get("parent") or "0") != "0" else "",
                by_blog_user=bool(isinstance(item.get("author"), int) and item["author"] > 0),
            ))
        except (AttributeError, KeyError, TypeError, ValueError):
            dropped += 1
    return comments, dropped


def parse_comment_feed(body: bytes) -> tuple[list[Comment], int]:
    """A per-post comment feed: WordPress's RSS (/billet/feed/) or Blogger's Atom (/feeds/ID/comments/default)."""
    parsed = feedparser.parse(body.replace(b"\x00", b""))
    if not parsed.entries and (parsed.bozo or not parsed.feed):
        raise Unreadable(f"flux illisible : {getattr(parsed, 'bozo_exception', 'vide')}")
    comments, dropped = [], 0
    for entry in parsed.entries:
        try:
            # Asked by name only when present: feedparser warns when one is read in place of the other.
            stamp = next((entry[k] for k in ("published_parsed", "updated_parsed") if k in entry.keys() and entry[k]),
                         None)
            if not stamp:
                raise ValueError("date manquante")
            detail = entry.get("author_detail") or {}
            content = (entry.get("content") or [{}])[0].get("value") or entry.get("summary") or ""
            reply_to = entry.get("thr_in-reply-to") or {}
            comments.append(_comment(
                external_id=comment_number(entry.get("id") or entry.get("link")),
                author_name=_short(entry.get("author") or detail.get("name"), MAX_NAME),
                author_url=_short(detail.get("href"), MAX_URL),
                text=plain(content),
                posted_at=datetime(*stamp[:6], tzinfo=UTC),
                parent_id=_short(reply_to.get("ref") if isinstance(reply_to, dict) else "", 200),
            ))
        except (AttributeError, KeyError, TypeError, ValueError, IndexError):
            dropped += 1
    return comments, dropped


# WordPress's comment export (and the usual plugins) name their columns in several ways.
_COLUMNS = {
    "external_id": ("comment_id", "id", "identifiant"),
    "author_name": ("comment_author", "author", "auteur", "nom", "name"),
    "email": ("comment_author_email", "email", "e-mail", "courriel"),
    "author_url": ("comment_author_url", "url", "site", "author_url"),
    "posted_at": ("comment_date_gmt", "comment_date", "date"),
    "text": ("comment_content", "content", "commentaire", "texte", "text"),
    "parent_id": ("comment_parent", "parent"),
}


def parse_csv(data: bytes) -> tuple[list[Comment], int]:
    """A CSV of comments the blogger uploads: UTF-8 (with or without BOM) or Windows-1252, ',' or ';'."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    text = clean_text(text)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    headers = {(h or "").strip().lower(): h for h in reader.fieldnames or []}
    columns = {field: next((headers[n] for n in names if n in headers), None) for field, names in _COLUMNS.items()}
    if not columns["external_id"] or not columns["author_name"] or not columns["posted_at"]:
        raise Unreadable("colonnes attendues : comment_ID, comment_author, comment_date (et comment_content)")
    comments, dropped = [], 0
    try:
        for row in reader:
            try:
                value = {field: (row.get(column) or "") if column else "" for field, column in columns.items()}
                parent = value["parent_id"].strip()
                comments.append(_comment(
                    external_id=value["external_id"], author_name=_short(value["author_name"], MAX_NAME),
                    author_url=_short(value["author_url"], MAX_URL), email=_short(value["email"], 254),
                    text=plain(value["text"]), posted_at=_when(value["posted_at"]),
                    parent_id="" if parent in ("", "0") else parent[:200],
                ))
            except (AttributeError, TypeError, ValueError):
                dropped += 1
    except csv.Error as error:
        raise Unreadable(f"CSV illisible : {error}") from None
    return comments, dropped
