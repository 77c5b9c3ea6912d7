#!/usr/bin/env python3
"""Smoke check that the harness's CKAN is a real CKAN doing the work (not run by .ci/run).

Run after `tests/ckan/ckan.sh start`: python3 tests/ckan/smoke.py [-v]
Reads target/ckan/env; every call prints its status and the answer's shape (-v: the bodies),
and the script asserts what the publish client will rely on. Stdlib only. Leaves no dataset
behind (each one it makes is deleted and purged).
"""
import json
import os
import sys
import urllib.error
import urllib.request
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ENV = dict(line.split("=", 1) for line in open(os.path.join(ROOT, "target/ckan/env")).read().split())
URL, ORG, OTHER_ORG = ENV["CKAN_URL"], ENV["CKAN_ORG"], ENV["CKAN_OTHER_ORG"]
TOKEN, OTHER, ADMIN = ENV["CKAN_TOKEN"], ENV["CKAN_OTHER_TOKEN"], ENV["CKAN_SYSADMIN_TOKEN"]
VERBOSE = "-v" in sys.argv


def shape(v, depth=0):
    """The JSON's shape: keys and value types, lists by their first item."""
    if isinstance(v, dict):
        return {k: shape(x, depth + 1) for k, x in v.items()} if depth < 3 else "{...}"
    if isinstance(v, list):
        return [shape(v[0], depth + 1)] if v else []
    return v if isinstance(v, (bool, int)) or v is None else f"str:{v[:40]!r}" if isinstance(v, str) else v


def call(method, name, token=None, body=None, query="", files=None):
    data, headers = None, {}
    if token:
        headers["Authorization"] = token
    if files is not None:  # multipart/form-data: fields in body, files {field: (filename, bytes)}
        b = uuid.uuid4().hex
        parts = [f'--{b}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                 for k, v in (body or {}).items()]
        for k, (fn, content) in files.items():
            parts.append(f'--{b}\r\nContent-Disposition: form-data; name="{k}"; filename="{fn}"\r\n'
                         f"Content-Type: text/csv\r\n\r\n".encode() + content + b"\r\n")
        data = b"".join(parts) + f"--{b}--\r\n".encode()
        headers["Content-Type"] = f"multipart/form-data; boundary={b}"
    elif body is not None:
        data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    req = urllib.request.Request(f"{URL}/api/3/action/{name}{query}", data, headers, method=method)
    try:
        with urllib.request.urlopen(req) as r:
            status, raw = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, raw = e.code, e.read()
    out = json.loads(raw)
    print(f"{method} {name}{query[:60]} -> {status}")
    print("   ", json.dumps(out if VERBOSE or status != 200 else shape(out), ensure_ascii=False)[:3000])
    return status, out


def get(url):
    with urllib.request.urlopen(url) as r:
        return r.read()


def main():
    s, o = call("GET", "organization_list")
    assert s == 200 and ORG in o["result"] and OTHER_ORG in o["result"], o
    name = f"kohyo-smoke-{uuid.uuid4().hex[:8]}"
    pkg = {"name": name, "title": "苫小牧市総合戦略（骨子案）", "owner_org": ORG,
           "notes": "smoke", "license_id": "cc-by",
           "tags": [{"name": "まち・ひと・しごと創生"}],
           "extras": [{"key": "lg_code", "value": "012131"}]}
    s, o = call("POST", "package_create", TOKEN, pkg)
    assert s == 409 and "tags" in o["error"], o
    pkg["tags"] = [{"name": "地方創生"}, {"name": "総合戦略"}]
    pkg["resources"] = [{"name": "page", "url": "https://example.org/index.html", "format": "HTML"}]
    s, o = call("POST", "package_create", TOKEN, pkg)
    assert s == 200, o
    pid = o["result"]["id"]
    csv = "\ufeffID,名前\r\nS1,苫小牧\r\n".encode("utf-8")
    s, o = call("POST", "resource_create", TOKEN,
                {"package_id": pid, "name": "施策", "format": "CSV", "encoding": "utf-8"},
                files={"upload": ("012131_tomakomai_shisaku.csv", csv)})
    assert s == 200, o
    res = o["result"]
    print("    resource url:", res["url"], "size:", res.get("size"), "mimetype:", res.get("mimetype"))
    assert get(res["url"]) == csv, "download differs"
    s, o = call("GET", "package_show", TOKEN, query=f"?id={name}")
    assert s == 200 and len(o["result"]["resources"]) == 2
    print("    package_show resources:", json.dumps(o["result"]["resources"], ensure_ascii=False))
    print("    tags:", o["result"]["tags"], "extras:", o["result"]["extras"])
    # package_patch: a top-level key replaces; resources sent replace the whole list.
    s, o = call("POST", "package_patch", TOKEN, {"id": pid, "title": "patched"})
    assert s == 200 and len(o["result"]["resources"]) == 2 and o["result"]["tags"]
    up = [r for r in o["result"]["resources"] if r["id"] == res["id"]][0]
    s, o = call("POST", "package_patch", TOKEN,
                {"id": pid, "resources": [dict(up, description="kept by id")]})
    assert s == 200
    print("    after patch with [upload resource by id]:",
          json.dumps(o["result"]["resources"], ensure_ascii=False))
    s, o = call("POST", "package_patch", TOKEN, {"id": pid, "resources": [
        {"name": "施策", "url": "012131_tomakomai_shisaku.csv", "url_type": "upload", "format": "CSV"}]})
    print("    after patch with [a new resource dict, url_type upload, no id]:",
          json.dumps(o["result"]["resources"] if s == 200 else o, ensure_ascii=False))
    s, o = call("POST", "package_patch", TOKEN, {"id": pid, "resources": [up]})
    print("    after patch back with [upload resource by id]:",
          json.dumps(o["result"]["resources"] if s == 200 else o, ensure_ascii=False))
    rid = o["result"]["resources"][0]["id"]
    csv2 = "\ufeffID,名前\r\nS1,苫小牧\r\nS2,白老\r\n".encode("utf-8")
    s, o = call("POST", "resource_patch", TOKEN, {"id": rid},
                files={"upload": ("012131_tomakomai_shisaku.csv", csv2)})
    assert s == 200, o
    print("    resource_patch upload:", json.dumps(o["result"], ensure_ascii=False))
    print("    download after resource_patch identical:", get(o["result"]["url"]) == csv2)
    s, o = call("GET", "package_search", None, query=f"?q=name:{name}")
    assert s == 200 and o["result"]["count"] == 1, o
    s, o = call("GET", "package_search", None, query=f"?fq=organization:{ORG}&rows=1000")
    print("    search by organization: count", o["result"]["count"])
    s, o = call("GET", "organization_show", None, query=f"?id={ORG}")
    print("    organization_show package_count:", o["result"]["package_count"])
    # Another organization's user: no rights on tomakomai, and the name is taken.
    s, o = call("POST", "package_create", OTHER, dict(pkg, name=name + "-x"))
    assert s == 403, o
    s, o = call("POST", "package_create", OTHER, dict(pkg, owner_org=OTHER_ORG))
    assert s == 409 and "name" in o["error"], o
    s, o = call("POST", "package_patch", OTHER, {"id": pid, "title": "not yours"})
    assert s == 403, o
    s, o = call("POST", "package_create", "not-a-token", dict(pkg, name=name + "-y"))
    assert s == 403, o
    s, o = call("GET", "package_show", TOKEN, query=f"?id={name}-missing")
    assert s == 404, o
    s, o = call("POST", "package_show", TOKEN, {"id": name})
    s, o = call("GET", "package_create", TOKEN, query=f"?name={name}-get")
    s, o = call("POST", "package_delete", TOKEN, {"id": pid})
    assert s == 200, o
    s, o = call("GET", "package_show", TOKEN, query=f"?id={name}")
    print("    package_show after delete (editor):", s, o.get("result", {}).get("state"))
    s, o = call("GET", "package_show", None, query=f"?id={name}")
    s, o = call("GET", "package_search", None, query=f"?q=name:{name}")
    assert o["result"]["count"] == 0
    s, o = call("POST", "package_create", TOKEN, dict(pkg, resources=[]))
    print("    create again with a deleted dataset's name:", s, o.get("result", {}).get("id") == pid)
    for p in {pid, o.get("result", {}).get("id")} - {None}:
        call("POST", "dataset_purge", ADMIN, {"id": p})
    print("smoke: all good")


if __name__ == "__main__":
    main()
