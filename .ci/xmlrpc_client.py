#!/usr/bin/env python3
"""An independent XML-RPC client for Crosstalk, using only Python's standard
library (xmlrpc.client), as a blog editor would: it finds the endpoint through
RSD, publishes, reads back, edits, uploads an image, moderates a comment and
checks that a wrong password is refused with fault 403.

Usage: CROSSTALK_PASSWORD=... xmlrpc_client.py BASE_URL USER MAX_UPLOAD_BYTES

Prints each check and exits non-zero on the first one that fails.
"""

import datetime
import html.parser
import os
import struct
import sys
import time
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
import xmlrpc.client
import zlib

RSD_NS = "{http://archipelago.phrasewise.com/rsd}"
ISSUE_METHODS = [
    "blogger.getUsersBlogs", "blogger.deletePost", "metaWeblog.newPost", "metaWeblog.editPost",
    "metaWeblog.getPost", "metaWeblog.getRecentPosts", "metaWeblog.getCategories",
    "metaWeblog.newMediaObject", "mt.getCategoryList", "mt.getPostCategories",
    "mt.setPostCategories", "mt.supportedMethods", "mt.supportedTextFilters",
    "mt.getTrackbackPings", "mt.publishPost", "wp.getComments", "wp.getComment",
    "wp.editComment", "wp.deleteComment", "wp.getCommentCount", "wp.newComment",
]

passed = 0


def check(ok, what, detail=""):
    global passed
    if not ok:
        print(f"FAIL {what} {detail}".rstrip())
        sys.exit(1)
    passed += 1
    print(f"ok   {what}")


def fetch(url, data=None):
    with urllib.request.urlopen(url, data=data, timeout=10) as res:
        return res.status, res.headers, res.read()


def wait_until_up(base):
    deadline = time.monotonic() + 15
    while True:
        try:
            return fetch(base + "/")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


class EditURIFinder(html.parser.HTMLParser):
    href = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("rel") == "EditURI" and a.get("type") == "application/rsd+xml":
            self.href = a.get("href")


def png(width, height, compress=True):
    """A real PNG image; uncompressed, it is about 3 bytes a pixel."""
    rows = b"".join(b"\x00" + bytes((x * 7 + y * 3) % 256 for x in range(width * 3)) for y in range(height))

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
            chunk(b"IDAT", zlib.compress(rows, 9 if compress else 0)) + chunk(b"IEND", b""))


def expect_fault(code, call):
    try:
        call()
    except xmlrpc.client.Fault as f:
        return f.faultCode == code, f"got fault {f.faultCode} {f.faultString!r}"
    return False, "no fault"


def main():
    base, user, max_upload = sys.argv[1].rstrip("/"), sys.argv[2], int(sys.argv[3])
    password = os.environ["CROSSTALK_PASSWORD"]

    # Discovery: the home page's EditURI link, then the RSD document.
    _, _, home = wait_until_up(base)
    finder = EditURIFinder()
    finder.feed(home.decode("utf-8"))
    check(finder.href == base + "/rsd.xml", "home page advertises RSD as EditURI", finder.href)
    status, headers, body = fetch(finder.href)
    check(headers.get_content_type() == "application/rsd+xml", "RSD served as application/rsd+xml")
    apis = {a.get("name"): a for a in ET.fromstring(body).iter(RSD_NS + "api")}
    check(set(apis) == {"MetaWeblog", "MovableType", "Blogger", "WordPress"}, "RSD lists the four APIs", str(list(apis)))
    mw = apis["MetaWeblog"]
    check(mw.get("preferred") == "true", "MetaWeblog is preferred")
    endpoint, blog_id = mw.get("apiLink"), mw.get("blogID")
    server = xmlrpc.client.ServerProxy(endpoint, use_builtin_types=True)

    methods = server.mt.supportedMethods()
    missing = [m for m in ISSUE_METHODS if m not in methods]
    check(not missing, "every method of the issue is served", str(missing))
    blogs = server.blogger.getUsersBlogs("", user, password)
    check(len(blogs) == 1 and blogs[0]["blogid"] == blog_id, "blogger.getUsersBlogs finds the blog")

    # Publish with TrackBack URLs to ping, read back, edit.
    date = datetime.datetime(2025, 3, 4, 5, 6, 7)
    ping_urls = ["http://example.org/trackback/1", "https://other.example/tb/2"]
    post_id = server.metaWeblog.newPost(blog_id, user, password, {
        "title": "From Python", "description": "<p>Posted by <em>xmlrpc.client</em>.</p>",
        "mt_keywords": "python, ci", "categories": ["Testing"], "mt_tb_ping_urls": ping_urls,
        "dateCreated": date, "mt_allow_comments": 1, "wp_slug": "from-python",
    }, True)
    check(isinstance(post_id, str) and post_id, "metaWeblog.newPost returns the post id", repr(post_id))
    post = server.metaWeblog.getPost(post_id, user, password)
    check(post["title"] == "From Python" and post["post_status"] == "publish", "getPost: title and status")
    check(post["mt_tb_ping_urls"] == ping_urls, "getPost: mt_tb_ping_urls as sent", str(post["mt_tb_ping_urls"]))
    check(post["dateCreated"] == date, "getPost: dateCreated as sent", str(post["dateCreated"]))
    check(post["categories"] == ["Testing"] and post["mt_keywords"] == "ci, python",
          "getPost: categories as categories, keywords as tags (as WordPress)", str(post))
    check(post["link"] == base + "/2025/03/from-python" == post["permaLink"], "getPost: link and permaLink", post["link"])
    _, _, page = fetch(post["link"])
    check(b"Posted by <em>xmlrpc.client</em>." in page, "the post is on the blog")
    check(server.metaWeblog.editPost(post_id, user, password, {"title": "Edited from Python"}, True) is True,
          "metaWeblog.editPost")
    post = server.metaWeblog.getPost(post_id, user, password)
    check(post["title"] == "Edited from Python" and post["mt_tb_ping_urls"] == ping_urls,
          "the edit changed the title and kept the rest")

    # Upload an image and fetch it back; an oversized one is refused.
    image = png(4, 3)
    media = server.metaWeblog.newMediaObject(blog_id, user, password,
                                             {"name": "dot.png", "type": "image/png", "bits": image})
    status, headers, served = fetch(media["url"])
    check(served == image and headers.get("Content-Type") == "image/png", "uploaded image served as sent", media["url"])
    big = png(200, max_upload // 600 + 1, compress=False)
    ok, detail = expect_fault(500, lambda: server.metaWeblog.newMediaObject(
        blog_id, user, password, {"name": "big.png", "type": "image/png", "bits": big}))
    check(len(big) > max_upload and ok, f"an image over {max_upload} bytes is refused", detail)

    # A reader comments; the writer lists comments and approves it.
    form = urllib.parse.urlencode({"name": "Reader", "content": "Nice post from Python"}).encode()
    fetch(base + "/comments/" + post_id, data=form)
    held = server.wp.getComments(blog_id, user, password, {"post_id": post_id, "status": "hold"})
    check(len(held) == 1 and held[0]["author"] == "Reader" and held[0]["type"] == "", "wp.getComments lists the held comment")
    comment_id = held[0]["comment_id"]
    check(server.wp.editComment(blog_id, user, password, comment_id, {"status": "approve"}) is True, "wp.editComment approves")
    check(server.wp.getComment(blog_id, user, password, comment_id)["status"] == "approve", "wp.getComment: approved")
    counts = server.wp.getCommentCount(blog_id, user, password, post_id)
    check(counts["approved"] == 1 and counts["awaiting_moderation"] == 0, "wp.getCommentCount", str(counts))
    _, _, page = fetch(post["link"])
    check(b"Nice post from Python" in page, "the approved comment is on the blog")

    # The writer replies over XML-RPC, threaded under the reader's comment.
    reply_id = server.wp.newComment(blog_id, user, password, post_id,
                                    {"comment_parent": comment_id, "content": "Thanks, from Python"})
    reply = server.wp.getComment(blog_id, user, password, str(reply_id))
    check(reply["parent"] == comment_id and reply["status"] == "approve", "wp.newComment replies with comment_parent", str(reply))
    check(server.wp.getComment(blog_id, user, password, comment_id)["parent"] == "0", "a thread's head has parent 0")
    ok, detail = expect_fault(403, lambda: server.wp.newComment(blog_id, user, password, post_id,
                                                                {"comment_parent": "999999", "content": "x"}))
    check(ok, "wp.newComment refuses a parent that is not on the post", detail)

    ok, detail = expect_fault(403, lambda: server.metaWeblog.getPost(post_id, user, "not the password"))
    check(ok, "a wrong password gets fault 403", detail)
    print(f"XML-RPC client: all {passed} checks passed")


if __name__ == "__main__":
    main()
