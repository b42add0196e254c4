"""Parses every kind of page of a running Crosstalk with html5lib in strict
mode: any HTML5 parse error fails. Usage: html5_check.py BASE_URL USER
(password in CROSSTALK_PASSWORD). Needs Debian's python3-html5lib."""
import html5lib
import http.cookiejar
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

base, user = sys.argv[1], sys.argv[2]
password = os.environ["CROSSTALK_PASSWORD"]
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def fetch(path, form=None):
    data = urllib.parse.urlencode(form).encode() if form else None
    try:
        return opener.open(base + path, data).read().decode()
    except urllib.error.HTTPError as e:  # error pages must be valid too
        return e.read().decode()


def token(path):
    return re.search(r'name="csrf_token" value="([0-9a-f]+)"', fetch(path)).group(1)


fetch("/login", {"csrf_token": token("/login"), "login": user, "password": password, "next": "/admin"})
fetch("/admin/posts", {"csrf_token": token("/admin/posts/new"), "kind": "post", "title": "Valid -- HTML",
                       "body": "Some *text*, [a link](https://other.example/), a table:\n\n| a | b |\n|---|---|\n"
                               "| 1 | 2 |\n\nA note[^1].\n\nhttps://youtu.be/dQw4w9WgXcQ\n\n"
                               "![A picture](/media/1/x.png \"A caption\")\n\n[^1]: The note.",
                       "status": "published", "allow_pings": "1", "allow_comments": "1", "tags": "go, web",
                       "new_category": "Checks"})
fetch("/admin/posts", {"csrf_token": token("/admin/posts/new?kind=page"), "kind": "page", "title": "About <this>",
                       "body": "A page.", "status": "published", "menu_fields": "1", "show_in_menu": "1", "menu_order": "1"})
post = re.search(r'href="(/\d{4}/\d{2}/valid-html)"', fetch("/")).group(1)
edit = re.search(r'href="(/admin/posts/\d+/edit)"', fetch("/admin/posts")).group(1)
pages = ["/", post, "/tag/go", post[:8], "/no-such-page", "/login", "/admin", "/admin/posts",
         "/admin/posts/new", edit, edit.replace("/edit", "/delete"), "/admin/queue", "/admin/settings",
         "/admin/media", "/admin/app-passwords", "/admin/queue?post_title=valid", "/?s=valid", "/?s=%3Cb%3E%22NEAR(", "/?s=", "/category/checks",
         "/author/" + urllib.parse.quote(user), "/about-this", "/?page=99", "/admin/posts/new?kind=page"]
# Threaded comments: a held comment shown to its author, approved, a reply
# under it, and the no-JavaScript reply form (?replytocom).
post_id = re.search(r'action="/comments/(\d+)"', fetch(post)).group(1)
reader = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
held = reader.open(base + "/comments/" + post_id, urllib.parse.urlencode(
    {"name": "Ann <b>", "email": "ann@example.com", "content": "First\nline\n\nhttps://a.example/ & <i>", "remember": "yes"}).encode())
pending = held.geturl()[len(base):]
comment_id = re.search(r"unapproved=(\d+)", pending).group(1)
fetch("/admin/queue", {"csrf_token": token("/admin/queue"), "action": "approved", "id": comment_id})
reader.open(base + "/comments/" + post_id, urllib.parse.urlencode(
    {"name": "Bob", "content": "A reply", "comment_parent": comment_id, "notify_replies": "1", "email": "b@example.com"}).encode())
pages += [pending, post, post + "?replytocom=" + comment_id]
failed = 0
for path in pages:
    parser = html5lib.HTMLParser(strict=True)
    try:
        parser.parse(fetch(path))
        print("ok  ", path)
    except Exception as e:  # html5lib raises ParseError on the first error
        failed += 1
        print("FAIL", path, e)
print(f"html5: {len(pages) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
