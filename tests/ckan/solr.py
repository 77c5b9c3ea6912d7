#!/usr/bin/env python3
"""A minimal Solr stand-in for the test CKAN: NOT Solr, only the calls CKAN 2.11 makes.

Why: Apache Solr cannot be installed on the test machines (no Java downloads, no Solr package),
and CKAN 2.11 cannot run without it: package_create answers 500 "Search Index Error" and rolls
back, organization_create 500 "Search Connection Error". kohyo's publish tests need a real CKAN,
so this answers, on 127.0.0.1, what CKAN's search layer (pysolr) sends:

  GET  /solr/<core>/select/?q=*:*&rows=1&wt=json     availability (start-up, every CLI command)
  GET  /solr/<core>/schema?wt=schema.xml             <schema name="ckan-2.11" .../>
  GET  /solr/<core>/admin/file/?file=schema.xml      the same (CKAN's fallback)
  POST /solr/<core>/update/?commit=true              a JSON list of documents (each dataset write),
                                                     XML <delete><query>/<id>, <commit/>
  GET|POST /solr/<core>/select/                      package_search and the organization counts:
                                                     q, fq, fl, rows, start, sort, facet.field,
                                                     facet.limit, facet.mincount (a form POST once
                                                     the query string passes 1024 characters)

Documents are CKAN's index documents (id, name, owner_org, site_id, state, capacity,
dataset_type, permission_labels, validated_data_dict, data_dict, ...), kept in memory keyed by
`id` and saved to --data FILE after each update, so a restarted stand-in still knows them.

What it does NOT do: no ranking (score is ignored; results come in the order of the rest of
`sort`), no analysis or stemming, no ranges, wildcards only as `*:*` and `field:*`,
no dismax weights. q/fq understand what CKAN sends for package_search by name, id, owner_org,
tags, +site_id, +state, +capacity, +dataset_type, +entity_type, +permission_labels:(... OR ...):
clauses `[+-]field:"value"` / `field:value` / `field:(a OR b)`, AND / OR / NOT between them, and
plain words (each must occur, case-insensitively, in name, title, notes, tags or organization).

Usage: solr.py [--host 127.0.0.1] [--port 8983] [--data FILE] [--log]   (--log: every request
on stderr, which is how the calls above were found).
"""
import argparse
import json
import os
import re
import sys
import threading
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

DOCS = {}  # id -> document
LOCK = threading.Lock()
ARGS = None
SCHEMA = b'<?xml version="1.0" encoding="UTF-8"?>\n<schema name="ckan-2.11" version="1.6"/>\n'
TEXT_FIELDS = ("name", "title", "notes", "tags", "organization", "res_name", "res_description")


def parse(s, i=0, field=None, dflt=""):
    """Parse a Lucene-ish query from s[i:] up to ')' or the end: ([(occur, node)], next i).
    occur is "+", "-" or "" (optional; dflt, "+" under q.op=AND, for clauses with no operator).
    A node is ("term", field, value, quoted) or ("group", clauses)."""
    clauses, pending = [], None
    while True:
        while i < len(s) and s[i].isspace():
            i += 1
        if i >= len(s) or s[i] == ")":
            return [(dflt if o == "d" else o, n) for o, n in clauses], i + 1
        m = re.compile(r"(AND|OR|NOT|&&|\|\|)(?=[\s(])").match(s, i)
        if m:
            op, i = m.group(1), m.end()
            pending = {"AND": "+", "&&": "+", "NOT": "-"}.get(op, "")
            if clauses and clauses[-1][0] in ("d", ""):
                clauses[-1] = (pending or "", clauses[-1][1]) if op != "NOT" else clauses[-1]
            continue
        occur = "d" if pending is None else pending
        if s[i] in "+-":
            occur, i = s[i], i + 1
        pending = None
        f = field
        m = re.compile(r"((?:[^\s:()\"\\]|\\.)+):").match(s, i)
        if m:
            f, i = m.group(1).replace("\\", ""), m.end()
        if s[i] == "(":
            node, i = parse(s, i + 1, f, dflt)
            clauses.append((occur, ("group", node)))
        elif s[i] == '"':
            m = re.compile(r'"((?:[^"\\]|\\.)*)"').match(s, i)
            clauses.append((occur, ("term", f, re.sub(r"\\(.)", r"\1", m.group(1)), True)))
            i = m.end()
        else:
            m = re.compile(r"(?:[^\s()\\]|\\.)+").match(s, i)
            clauses.append((occur, ("term", f, re.sub(r"\\(.)", r"\1", m.group(0)), False)))
            i = m.end()


def values(doc, field):
    v = doc.get(field)
    return [] if v is None else v if isinstance(v, list) else [v]


def matches(clauses, doc):
    req = [n for o, n in clauses if o == "+"]
    opt = [n for o, n in clauses if o == ""]
    if any(node_matches(n, doc) for o, n in clauses if o == "-"):
        return False
    if not all(node_matches(n, doc) for n in req):
        return False
    return bool(req) or not opt or any(node_matches(n, doc) for n in opt)


def node_matches(node, doc):
    if node[0] == "group":
        return matches(node[1], doc)
    _, field, value, quoted = node
    if field in ("*", None) and value == "*":
        return True
    if field is None:  # a plain word: CKAN's dismax search over the text fields
        text = " ".join(str(v) for f in TEXT_FIELDS for v in values(doc, f)).lower()
        return all(w in text for w in value.lower().split())
    if value == "*" and not quoted:
        return any(v not in ("", None) for v in values(doc, field))
    return any(str(v).lower() == value.lower() if isinstance(v, bool) else str(v) == value
               for v in values(doc, field))


def select(params):
    def one(k, default):
        return params.get(k, [default])[-1]

    q = one("q", "") or "*:*"  # words without a field are CKAN's dismax search: all must occur
    dflt = "+" if one("q.op", "OR") == "AND" else ""
    clauses = [parse(q, 0, None, dflt)[0] if ":" in q else [("+", ("term", None, q, False))]]
    clauses += [parse(fq, 0, None, dflt)[0] for fq in params.get("fq", [])]
    with LOCK:
        hits = [d for d in DOCS.values() if all(matches(c, d) for c in clauses)]
    for key in reversed([s.split() for s in one("sort", "").split(",") if s.strip()]):
        if key[0] != "score":
            hits.sort(key=lambda d: str((values(d, key[0]) or [""])[0]), reverse=key[-1] == "desc")
    start, rows = int(one("start", 0)), int(one("rows", 10))
    fl = [f for f in re.split(r"[\s,]+", one("fl", "*")) if f and f != "score"]
    docs = [d if "*" in fl else {f: d[f] for f in fl if f in d} for d in hits[start:start + rows]]
    out = {"responseHeader": {"status": 0, "QTime": 0},
           "response": {"numFound": len(hits), "start": start, "docs": docs}}
    if one("facet", "false") == "true":
        fields, mincount = {}, int(one("facet.mincount", 1))
        limit = int(one("facet.limit", 50))
        for f in params.get("facet.field", []):
            counts = {}
            for d in hits:
                for v in set(map(str, values(d, f))):
                    counts[v] = counts.get(v, 0) + 1
            ranked = sorted((kv for kv in counts.items() if kv[1] >= mincount),
                            key=lambda kv: (-kv[1], kv[0]))
            fields[f] = [x for kv in ranked[:limit if limit >= 0 else None] for x in kv]
        out["facet_counts"] = {"facet_queries": {}, "facet_fields": fields, "facet_dates": {},
                               "facet_ranges": {}}
    return out


def update(body, content_type):
    with LOCK:
        if "json" in content_type:
            data = json.loads(body or b"[]")
            for doc in data if isinstance(data, list) else [data]:
                DOCS[doc["id"]] = doc
        elif body.strip():
            root = ET.fromstring(body)
            for el in list(root) if root.tag == "delete" else []:
                if el.tag == "query":
                    q = parse(el.text or "")[0]
                    for k in [k for k, d in DOCS.items() if matches(q, d)]:
                        del DOCS[k]
                elif el.tag == "id":
                    DOCS.pop(el.text, None)
        if ARGS.data:  # commit or not, every update is kept
            with open(ARGS.data + ".tmp", "w", encoding="utf-8") as f:
                json.dump(DOCS, f, ensure_ascii=False)
            os.replace(ARGS.data + ".tmp", ARGS.data)
    return {"responseHeader": {"status": 0, "QTime": 0}}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def handle_one(self):
        url = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        ctype = self.headers.get("Content-Type", "")
        if ARGS.log:
            print(f"{self.command} {self.path} {ctype} {body[:2000]!r}", file=sys.stderr, flush=True)
        params = parse_qs(url.query, keep_blank_values=True)
        if "x-www-form-urlencoded" in ctype:
            for k, v in parse_qs(body.decode("utf-8"), keep_blank_values=True).items():
                params.setdefault(k, []).extend(v)
        handler = re.sub(r"^/solr/[^/]+/", "", url.path).strip("/")
        try:
            if handler == "select":
                return self.reply(200, json.dumps(select(params)).encode(), "application/json")
            if handler == "update":
                return self.reply(200, json.dumps(update(body, ctype)).encode(), "application/json")
            if handler == "schema" or (handler == "admin/file" and "schema.xml" in params.get("file", [])):
                return self.reply(200, SCHEMA, "application/xml")
        except Exception as e:  # a query this stand-in does not understand: say so, like Solr
            print(f"solr.py: {self.command} {self.path}: {e!r}", file=sys.stderr, flush=True)
            err = {"responseHeader": {"status": 400}, "error": {"msg": repr(e), "code": 400}}
            return self.reply(400, json.dumps(err).encode(), "application/json")
        print(f"solr.py: not answered: {self.command} {self.path}", file=sys.stderr, flush=True)
        self.reply(404, b'{"error":{"msg":"not in the stand-in","code":404}}', "application/json")

    do_GET = do_POST = handle_one

    def reply(self, status, data, ctype):
        self.send_response(status)
        self.send_header("Content-Type", ctype + "; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *a):
        pass


def main():
    global ARGS
    p = argparse.ArgumentParser(description="Minimal Solr stand-in for the test CKAN")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8983)
    p.add_argument("--data", help="JSON file the documents are kept in across restarts")
    p.add_argument("--log", action="store_true", help="print every request on stderr")
    ARGS = p.parse_args()
    if ARGS.data and os.path.exists(ARGS.data):
        with open(ARGS.data, encoding="utf-8") as f:
            DOCS.update(json.load(f))
    ThreadingHTTPServer((ARGS.host, ARGS.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
