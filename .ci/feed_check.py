"""Reads every feed of a running Crosstalk with Universal Feed Parser
(Debian's python3-feedparser): each must parse with bozo == 0 (well-formed
XML, no encoding trouble), with the hostile text it was given shown as text.
Usage: feed_check.py BASE_URL USER (password in CROSSTALK_PASSWORD)."""
import http.cookiejar
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

import feedparser

base, user = sys.argv[1], sys.argv[2]
password = os.environ["CROSSTALK_PASSWORD"]
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def fetch(path, form=None):
    data = urllib.parse.urlencode(form, doseq=True).encode() if form else None
    with opener.open(base + path, data) as res:
        return res.read(), res.headers.get("Content-Type", "")


def page(path, form=None):
    return fetch(path, form)[0].decode()


def token(path):
    return re.search(r'name="csrf_token" value="([0-9a-f]+)"', page(path)).group(1)


hostile = "5 < 6 & <script>alert(1)</script> \x0b tab\there"
page("/login", {"csrf_token": token("/login"), "login": user, "password": password, "next": "/admin"})
page("/admin/posts", {"csrf_token": token("/admin/posts/new"), "kind": "post", "title": "Feeds & <friends>",
                      "body": "Text with a vertical tab \x0b and " + hostile, "excerpt": hostile,
                      "status": "published", "allow_pings": "1", "allow_comments": "1", "tags": "go, a<&>b",
                      "new_category": "Feeds & <friends>"})
post_id = re.search(r'href="/admin/posts/(\d+)/edit"', page("/admin/posts")).group(1)
# A TrackBack with the same text, approved, for the ?__mode=rss listing.
urllib.request.urlopen(base + "/trackback/" + post_id, urllib.parse.urlencode(
    {"url": "https://other.example/reply", "title": "Re: <b>", "excerpt": hostile, "blog_name": "Other"}).encode()).read()
queue = page("/admin/queue")
ids = re.findall(r'name="id" value="(\d+)"', queue)
if ids:
    page("/admin/queue", {"csrf_token": token("/admin/queue"), "action": "approved", "id": ids})
odd_tag = re.search(r'href="/tag/([^"/]+)"[^>]*>#a&lt;&amp;&gt;b', page("/")).group(1)

feeds = ["/feed", "/feed/atom", "/tag/go/feed", "/tag/go/feed/atom", f"/tag/{odd_tag}/feed",
         f"/tag/{odd_tag}/feed/atom", f"/trackback/{post_id}?__mode=rss", "/category/feeds-friends/feed",
         "/category/feeds-friends/feed/atom", "/author/" + urllib.parse.quote(user) + "/feed"]
failed = 0
for path in feeds:
    body, ctype = fetch(path)
    d = feedparser.parse(body, response_headers={"content-type": ctype})
    texts = [e.get("summary", "") for e in d.entries]
    problems = []
    if d.bozo:
        problems.append(f"bozo: {d.get('bozo_exception')!r}")
    if not d.entries:
        problems.append("no entries")
    if any("<script>" in t.lower() for t in texts):
        problems.append("a summary carries live markup")
    if path.startswith("/feed") or "/tag/" in path:
        if not any(e.get("tags") for e in d.entries):
            problems.append("no categories")
    if problems:
        failed += 1
        print("FAIL", path, "; ".join(problems))
    else:
        print("ok  ", path, d.version, len(d.entries), "entries")
# JSON Feed 1.1: valid JSON, the version, the hostile text kept as text.
import json
body, ctype = fetch("/feed.json")
doc = json.loads(body)
if (ctype.startswith("application/feed+json") and doc.get("version") == "https://jsonfeed.org/version/1.1"
        and doc["items"] and any(hostile.replace("\x0b", "") in (i.get("summary") or "") or "alert(1)" in (i.get("summary") or "")
                                  for i in doc["items"])):
    print("ok   /feed.json", len(doc["items"]), "items")
else:
    failed += 1
    print("FAIL /feed.json", ctype, str(doc)[:300])
feeds.append("/feed.json")
print(f"feeds: {len(feeds) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
