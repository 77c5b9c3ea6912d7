"""Read a DCAT JSON-LD record the way a CKAN portal harvests it: ckanext-dcat's RDFParser with
its DCAT-AP 3 profile (`euro_dcat_ap_3`), without a running CKAN.

    dcat_parse.py catalog/dcat.jsonld

prints the CKAN dataset dicts the parser makes (a JSON list, keys sorted, UTF-8) on stdout.
Exit status: 0 when at least one dataset was read; 1 when the file cannot be read or parsed, or
holds no dcat:Dataset; 3 when ckanext-dcat (or CKAN) is not installed in this Python.

No CKAN server, database or ini file is needed: the parser reads CKAN's in-process
configuration object (`ckan.common.config`), which is empty until a CKAN app loads an ini, and
every option the profile reads has a default there. The few that change what the parser makes
are set below to CKAN's defaults, so the result does not depend on the environment.
"""

import json
import sys

PROFILES = ["euro_dcat_ap_3"]


def main(argv):
    if len(argv) != 2:
        print("usage: dcat_parse.py DCAT_JSONLD", file=sys.stderr)
        return 2
    try:
        from ckan.common import config
        from ckanext.dcat.processors import RDFParser
    except ImportError as e:
        print(
            f"ckanext-dcat is not installed in {sys.executable}: {e}\n"
            "install: pip install -r tests/ckan/requirements.txt "
            "-r tests/ckan/requirements-dcat.txt",
            file=sys.stderr,
        )
        return 3

    # CKAN's defaults, stated: the portal's language (which of several language-tagged literals
    # is taken), no tag munging, CKAN's own format list, no compatibility renames.
    config["ckan.locale_default"] = "en"
    config["ckanext.dcat.clean_tags"] = False
    config["ckanext.dcat.normalize_ckan_format"] = True
    config["ckanext.dcat.compatibility_mode"] = False

    path = argv[1]
    try:
        with open(path, encoding="utf-8") as f:
            data = f.read()
    except OSError as e:
        print(f"{path}: {e}", file=sys.stderr)
        return 1
    try:
        parser = RDFParser(profiles=PROFILES)
        parser.parse(data, _format="json-ld")
        datasets = list(parser.datasets())
    except Exception as e:  # the parser raises RDFParserException, rdflib and json others
        print(f"{path}: ckanext-dcat could not parse it: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    if not datasets:
        print(f"{path}: ckanext-dcat found no dcat:Dataset in it", file=sys.stderr)
        return 1
    text = json.dumps(datasets, ensure_ascii=False, sort_keys=True, indent=2)
    sys.stdout.buffer.write(text.encode("utf-8") + b"\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
