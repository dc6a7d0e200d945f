"""Re-read each record's source and tell whether its quote is still there.

`check_records(records)` fetches every http(s) source once (through the proxy the environment
names: HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY) and reports per record:

- fresh: the page answers and holds the quote (after whitespace is collapsed, in the raw text
  or in the text with HTML tags removed and entities decoded);
- stale: the page answers but the quote is gone;
- moved: the address redirects (the new address is reported; the quote is checked there);
- unreachable: no answer, a timeout or an HTTP error status;
- not fetchable: the source is a repository path (`owner/repo@commit:path`), a package path or
  a copy's name, not an address;
- no quote: the record carries no quote to look for (carried from v1, not re-verified).

A page address written without a scheme (`huggingface.co/...`) is fetched over https. Tests
pass `address` to map sources to pages on a local server.
"""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import httpx

from modelarium.knowledge.records import KnowledgeRecord

STATUSES = ("fresh", "stale", "moved", "unreachable", "not fetchable", "no quote")
PROBLEMS = frozenset({"stale", "moved", "unreachable"})
MAX_REDIRECTS = 5
_PAGE = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?(?:/\S*)?$", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True, slots=True)
class Fetched:
    """One source address after fetching: final address, body text or the failure."""

    url: str
    final_url: str
    text: str | None
    error: str | None

    @property
    def moved(self) -> bool:
        """Whether the address redirected elsewhere."""
        return self.final_url != self.url


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What the check found for one record."""

    record_id: str
    where: str
    status: str
    url: str | None = None
    detail: str = ""

    def to_json(self) -> dict[str, object]:
        """JSON-ready form (`knowledge check --json`)."""
        return {
            "id": self.record_id,
            "status": self.status,
            "where": self.where,
            "url": self.url,
            "detail": self.detail,
        }


def default_address(where: str) -> str | None:
    """The address to fetch for a source, or None when it is not an address."""
    if where.startswith(("http://", "https://")):
        return where.split()[0]
    token = where.split()[0] if where.split() else ""
    if "@" in token or not _PAGE.match(token):
        return None
    return f"https://{token}"


def collapse(text: str) -> str:
    """Whitespace runs as one space, trimmed (how quotes are compared)."""
    return " ".join(text.split())


def holds_quote(page: str, quote: str) -> bool:
    """Whether the page text holds the quote, as written or once HTML is reduced to text."""
    wanted = collapse(quote)
    if wanted in collapse(page):
        return True
    reduced = collapse(html.unescape(_TAG.sub(" ", page)))
    return wanted in reduced or collapse(html.unescape(wanted)) in reduced


async def fetch(client: httpx.AsyncClient, url: str) -> Fetched:
    """GET `url`, following up to `MAX_REDIRECTS` redirects; never raises."""
    current = url
    try:
        for _ in range(MAX_REDIRECTS + 1):
            response = await client.get(current)
            if response.is_redirect and "location" in response.headers:
                current = str(response.url.join(response.headers["location"]))
                continue
            if response.status_code >= 400:
                return Fetched(url, current, None, f"HTTP {response.status_code}")
            return Fetched(url, current, response.text, None)
        return Fetched(url, current, None, f"more than {MAX_REDIRECTS} redirects")
    except httpx.TimeoutException:
        return Fetched(url, current, None, "timed out")
    except httpx.HTTPError as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return Fetched(url, current, None, reason)


def judge(record: KnowledgeRecord, url: str, fetched: Fetched) -> CheckResult:
    """The result for one record from its fetched page."""
    where = record.source.where
    if fetched.text is None:
        return CheckResult(record.id, where, "unreachable", url, fetched.error or "")
    quote = record.source.quote
    if fetched.moved:
        found = (
            ""
            if quote is None
            else ("; quote found" if holds_quote(fetched.text, quote) else "; quote not found")
        )
        return CheckResult(record.id, where, "moved", url, f"now {fetched.final_url}{found}")
    if quote is None:
        return CheckResult(record.id, where, "no quote", url, "nothing to compare")
    if holds_quote(fetched.text, quote):
        return CheckResult(record.id, where, "fresh", url)
    return CheckResult(record.id, where, "stale", url, "quote not found on the page")


async def check_records(
    records: Sequence[KnowledgeRecord],
    *,
    address: Callable[[str], str | None] | None = None,
    timeout: float = 15.0,
    concurrency: int = 4,
) -> list[CheckResult]:
    """Check every record (in order); each address is fetched once. `address` maps a source
    to the address to fetch (default: `default_address`)."""
    locate = address or default_address
    targets = {record.id: locate(record.source.where) for record in records}
    urls = sorted({url for url in targets.values() if url is not None})
    limit = asyncio.Semaphore(max(1, concurrency))
    headers = {"User-Agent": "modelarium-knowledge-check"}
    async with httpx.AsyncClient(
        timeout=timeout,
        follow_redirects=False,
        trust_env=True,
        headers=headers,
    ) as client:

        async def one(url: str) -> Fetched:
            async with limit:
                return await fetch(client, url)

        pages = dict(zip(urls, await asyncio.gather(*(one(url) for url in urls)), strict=True))
    results: list[CheckResult] = []
    for record in records:
        url = targets[record.id]
        if url is None:
            results.append(
                CheckResult(record.id, record.source.where, "not fetchable", None, "not an address")
            )
        else:
            results.append(judge(record, url, pages[url]))
    return results
