#!/usr/bin/env python3
"""Regenerates sidecar/sim/woosim/assets/*.json from the captures in testdata/woocommerce.

The WooCommerce simulator serves trimmed copies of the real /wp-json/ index, the
/wp-json/wc/v3 namespace index and system_status. This script keeps the top-level
keys as captured, keeps only the routes the simulator serves (plus the plugin's
routes of docs/plugin-routes.md), replaces the store URL by {{HOME}} and writes
PHP json_encode style (slashes escaped, non-ASCII as \\uXXXX).

Run from the repository root: python3 scripts/woo-sim-trim-index.py
"""
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "testdata", "woocommerce")
DST = os.path.join(ROOT, "sidecar", "sim", "woo", "assets")

KEEP = [
    "/wc/v3/products",
    "/wc/v3/products/(?P<id>[\\d]+)",
    "/wc/v3/products/batch",
    "/wc/v3/products/(?P<product_id>[\\d]+)/variations",
    "/wc/v3/products/(?P<product_id>[\\d]+)/variations/(?P<id>[\\d]+)",
    "/wc/v3/orders",
    "/wc/v3/orders/(?P<id>[\\d]+)",
    "/wc/v3/customers",
    "/wc/v3/customers/(?P<id>[\\d]+)",
    "/wc/v3/webhooks",
    "/wc/v3/webhooks/(?P<id>[\\d]+)",
    "/wc/v3/system_status",
    "/wc/v3/settings/(?P<group_id>[\\w-]+)/(?P<id>[\\w-]+)",
]


def plugin_route(path, args):
    return {
        "namespace": "wc/v3",
        "methods": ["GET"],
        "endpoints": [{"methods": ["GET"], "args": args}],
        "_links": {"self": [{"href": "{{HOME}}/wp-json" + path}]},
    }


def int_arg(desc, default, maximum):
    a = {"description": desc, "type": "integer", "minimum": 0 if default == 0 else 1, "required": False}
    a["default"] = default
    if maximum:
        a["maximum"] = maximum
    return a


PLUGIN = {
    "/wc/v3/oncloudwine/catalog": plugin_route("/wc/v3/oncloudwine/catalog", {
        "after_id": int_arg("List products with an id above this one.", 0, 0),
        "limit": int_arg("Products per page.", 500, 500)}),
    "/wc/v3/oncloudwine/stock": plugin_route("/wc/v3/oncloudwine/stock", {
        "after_id": int_arg("List items with an id above this one.", 0, 0),
        "limit": int_arg("Levels per page.", 5000, 5000)}),
    "/wc/v3/oncloudwine/orders/by-release/(?P<release_order_id>[\\w-]+)": {
        "namespace": "wc/v3", "methods": ["GET"],
        "endpoints": [{"methods": ["GET"], "args": {"release_order_id": {"type": "string", "required": True}}}],
    },
}


def php(obj):
    s = json.dumps(obj, ensure_ascii=True, separators=(",", ":"))
    return s.replace("/", "\\/")


def home_of(version):
    return json.load(open(os.path.join(SRC, version, "_index.json")))["site_url"]


def scrub(text, home):
    return text.replace(home.replace("/", "\\/"), "{{HOME}}")


def trim_routes(routes, extra_first):
    out = {}
    for k in extra_first:
        if k in routes:
            out[k] = routes[k]
    for k in KEEP:
        if k in routes:
            out[k] = routes[k]
    return out


def write(name, text):
    with open(os.path.join(DST, name), "w") as f:
        f.write(text)


def main():
    os.makedirs(DST, exist_ok=True)
    for version in ("10.0.2", "6.9.0"):
        home = home_of(version)
        body = lambda f: json.load(open(os.path.join(SRC, version, f)))["response"]["body"]
        idx = body("get-wp-json-index.json")
        idx["routes"] = trim_routes(idx["routes"], ["/", "/wc/v3"])
        ns = body("get-wc-v3-namespace-index.json")
        ns["routes"] = trim_routes(ns["routes"], ["/wc/v3"])
        for plugin in (False, True):
            suffix = "-plugin" if plugin else ""
            for name, doc in (("wp-json-index", idx), ("wc-v3-index", ns)):
                d = json.loads(json.dumps(doc))
                if plugin:
                    for k, v in PLUGIN.items():
                        d["routes"][k] = v
                write("%s-%s%s.json" % (name, version, suffix), scrub(php(d), home))
        ss = body("get-system-status.json")
        ss["environment"]["version"] = "{{WCVERSION}}"
        write("system-status-%s.json" % version, scrub(php(ss), home))


if __name__ == "__main__":
    main()
