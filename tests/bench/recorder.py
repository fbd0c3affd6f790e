"""A WSGI app for the load generator's tests: records every request it is
sent (one JSON line each, to the file GOFUN_RECORDER_FILE names) and answers
302 to a POST, 404 to /missing and 200 to anything else."""

from __future__ import annotations

import json
import os


def application(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    query = environ.get("QUERY_STRING", "")
    line = json.dumps(
        {
            "method": environ["REQUEST_METHOD"],
            "path": environ["PATH_INFO"] + (f"?{query}" if query else ""),
            "cookie": environ.get("HTTP_COOKIE", ""),
            "body": body.decode("utf-8", "replace"),
        },
        ensure_ascii=False,
    )
    with open(os.environ["GOFUN_RECORDER_FILE"], "a", encoding="utf-8") as record:
        record.write(line + "\n")
    if environ["REQUEST_METHOD"] == "POST":
        start_response("302 Found", [("Location", "/"), ("Content-Length", "0")])
        return [b""]
    if environ["PATH_INFO"] == "/missing":
        start_response("404 Not Found", [("Content-Length", "0")])
        return [b""]
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]
