"""Every link a demo user is shown on the workbench, and a visitor on the public pages, opens.

A link to a page that answers 403 or 404 is a dead end for the person who follows it (a station's
staff were offered 待核实, a street's staff the suggestions report). This walks the demo as each
of its users, from the workbench home, breadth first through the links under /staff/, and
checks that every page reached opens (after its redirects, and not on the login page); and the
public pages from the home page as an anonymous visitor. Downloads and actions are left out:
they are tested where they are made.
"""

from __future__ import annotations

import re
from collections import deque
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from liaison.accounts.models import User
from liaison.workbench.demo_data import USERS

# Pages per user: enough to reach every app's pages from the menu and one level below (lists
# link to hundreds of objects and their filters; one of each kind is what the walk is for).
PAGES_PER_USER = 70
# Variants of one kind of page followed per user: its filters and pages, and its objects (a
# path segment with a digit, an id or a public code, counts as one: /staff/cases/N/, /s/N/).
VARIANTS_PER_PATH = 2
OBJECT = re.compile(r"[^/]*\d[^/]*")
PUBLIC_LEFT_OUT = re.compile(r"^/(staff|api|admin|static)/")
HREF = re.compile(r'href="([^"#]*)')
LEFT_OUT = re.compile(
    r"/logout/|/download|/export|/file\b|/file\.|/files/|/letter/|/sheet/|/qr|/poster"
    r"|\.(xlsx|docx|pdf|zip|csv|ics|png|svg|jpg)(\?|$)"
)


def _links(body: str, *, staff: bool) -> list[str]:
    found = []
    for href in HREF.findall(body):
        href = href.replace("&amp;", "&")
        if not href.startswith("/") or LEFT_OUT.search(href):
            continue
        if href.startswith("/staff/") if staff else not PUBLIC_LEFT_OUT.search(href):
            found.append(href)
    return found


def _walk(client: Any, *, start: str = "/staff/") -> tuple[int, list[tuple[str, str, int]]]:
    """(pages opened, [(page, link, status)] of links that did not open)."""
    staff = start.startswith("/staff/")
    queue: deque[tuple[str, str]] = deque([("", start)])
    seen: set[str] = set()
    variants: dict[str, int] = {}
    dead: list[tuple[str, str, int]] = []
    opened = 0
    while queue and opened < PAGES_PER_USER:
        source, url = queue.popleft()
        path = OBJECT.sub("N", urlsplit(url).path)
        if url in seen or variants.get(path, 0) >= VARIANTS_PER_PATH:
            continue
        seen.add(url)
        variants[path] = variants.get(path, 0) + 1
        response = client.get(url, follow=True)
        opened += 1
        landed = response.redirect_chain[-1][0] if response.redirect_chain else url
        if response.status_code != 200 or landed.startswith("/staff/login/"):
            dead.append((source, url, response.status_code))
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for link in _links(response.content.decode(), staff=staff):
            if link not in seen:
                queue.append((url, link))
    return opened, dead


@pytest.mark.django_db
@pytest.mark.parametrize("username", [user[0] for user in USERS])
def test_every_link_a_demo_user_is_shown_opens(username: str, hunan: None, as_user: Any) -> None:
    call_command("import_categories", verbosity=0)
    call_command("demo", verbosity=0)
    opened, dead = _walk(as_user(User.objects.get(username=username)))
    assert opened > 3
    assert dead == [], dead


@pytest.mark.django_db
def test_every_link_on_the_public_pages_opens(hunan: None, client: Any) -> None:
    call_command("import_categories", verbosity=0)
    call_command("demo", verbosity=0)
    opened, dead = _walk(client, start="/")
    assert opened > 10
    assert dead == [], dead
