"""End-to-end test of clients/python/codekg_tools.py (agent tools) against a real codekgd, and of
installing the Python package with pip from its folder.

Usage: python3 python_tools_test.py <path to codekgd> <repo root>
The agent loop is driven by a scripted OpenAI-compatible chat endpoint on 127.0.0.1 (a stand-in
for the model, which is not ours): it asks for a search, then a query, then answers with what
the tools returned, so the test checks that tool calls reach codekgd and results reach the model.
"""

import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading


def main():
    codekgd, root = sys.argv[1], sys.argv[2]
    sys.dont_write_bytecode = True
    data = tempfile.mkdtemp(prefix="codekg_tools_")
    try:
        # pip install from the folder (no network: the installed setuptools and wheel build
        # it). pip builds in the folder it is given, so it gets a copy of clients/python.
        src = os.path.join(data, "src")
        shutil.copytree(os.path.join(root, "clients", "python"), src,
                        ignore=shutil.ignore_patterns("__pycache__", "build", "*.egg-info"))
        target = os.path.join(data, "site")
        r = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                            "--no-build-isolation", "--no-cache-dir", "--target", target, src],
                           capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, "pip install failed:\n" + r.stdout + r.stderr
        assert os.path.exists(os.path.join(target, "codekg_tools.py")), os.listdir(target)
        sys.path.insert(0, target)
        import codekg_client
        import codekg_tools
        assert codekg_tools.__file__.startswith(target), codekg_tools.__file__
        from codekg_client import Client
        from codekg_tools import call_tool, run_agent, tool_definitions

        run_with_server(codekgd, root, data, Client, call_tool, run_agent, tool_definitions)
    finally:
        shutil.rmtree(data, ignore_errors=True)
    print("python_tools_test: ok")


def run_with_server(codekgd, root, data, Client, call_tool, run_agent, tool_definitions):
    proc = subprocess.Popen([codekgd, "--data", os.path.join(data, "d"), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith("codekgd listening on http://"), line
        kg = Client(line.split(" on ", 1)[1].strip())
        kg.ingest("shop", os.path.join(root, "samples", "python"))

        # Schemas: every tool is an OpenAI function with a JSON-schema object of parameters.
        free = tool_definitions()
        fixed = tool_definitions(graph="shop")
        assert {t["function"]["name"] for t in free} == {
            "codekg_query", "codekg_search", "codekg_get_node", "codekg_traverse",
            "codekg_check_api"}
        for t in free:
            p = t["function"]["parameters"]
            assert t["type"] == "function" and p["type"] == "object", t
            assert p["required"][0] == "graph" and "graph" in p["properties"], t
            assert set(p["required"]) <= set(p["properties"]), t
        assert all("graph" not in t["function"]["parameters"]["properties"] for t in fixed)
        json.dumps(free)  # serializable as sent to a model

        text = call_tool(kg, "codekg_search", {"graph": "shop", "q": "gift card"})
        assert text.splitlines()[0].startswith("shop/models.py:GiftCard  Class"), text
        text = call_tool(kg, "codekg_query", json.dumps(
            {"query": "MATCH (c:Class)-[:INHERITS]->(:Class {name: 'PaymentGateway'}) "
                      "RETURN c.name ORDER BY c.name"}), graph="shop")
        assert text == "c.name\nCardGateway\nWalletGateway", text
        text = call_tool(kg, "codekg_query", {"query": "MATCH (f:Function) RETURN f.name"},
                         graph="shop", max_rows=2)
        assert "more rows exist" in text and len(text.splitlines()) == 4, text
        text = call_tool(kg, "codekg_get_node", {"id": "shop/models.py:GiftCard"}, graph="shop")
        assert "class GiftCard(DigitalProduct):" in text and "qualified_name: shop.models.GiftCard" in text, text
        text = call_tool(kg, "codekg_traverse", {"id": "shop/models.py:GiftCard", "depth": 1,
                                                 "types": ["HAS_METHOD"]}, graph="shop")
        assert "-[HAS_METHOD]-> shop/models.py:GiftCard.redeem (Method)" in text, text
        text = call_tool(kg, "codekg_check_api", {"code": "from shop.models import GiftCard\n"
                                                          "GiftCard('sku').redeem()\n"
                                                          "from shop.models import GiftCrad\n"},
                         graph="shop")
        assert text.startswith("problems found"), text
        assert "expected" in text and "GiftCrad" in text, text

        # The client's other typed methods.
        assert any(r["path"] == "/v1/graphs/{graph}/check" for r in kg.routes())
        assert kg.openapi()["openapi"].startswith("3."), "openapi"
        assert kg.create_graph("empty")["node_count"] == 0
        assert kg.fsck("shop")["ok"] is True
        ok = kg.check("shop", "from shop.models import GiftCard\nGiftCard('a', None).redeem(None)\n")
        assert ok["ok"] is True and ok["counts"]["resolved"] >= 2, ok
        kg.delete_graph("empty")

        # Errors come back as text the model can act on, never as exceptions.
        text = call_tool(kg, "codekg_query", {"query": "MATCH (c:Class RETURN c"}, graph="shop")
        assert text.startswith("error: invalid_argument: ") and "line 1, column" in text, text
        text = call_tool(kg, "codekg_query", {"query": "MATCH (c:Clas) RETURN c.name"}, graph="shop")
        assert "(no rows)" in text and "did you mean 'Class'" in text, text
        assert call_tool(kg, "codekg_get_node", {"id": "nope"}, graph="shop").startswith("error: not_found")
        assert call_tool(kg, "codekg_fly", {}, graph="shop").startswith("error: unknown tool")
        assert call_tool(kg, "codekg_search", "{not json", graph="shop").startswith("error: arguments")
        assert call_tool(kg, "codekg_search", {"q": "x"}) == "error: missing argument 'graph'"

        # The loop, against a scripted OpenAI-compatible endpoint.
        seen = []

        class Model(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                assert self.path == "/v1/chat/completions", self.path
                assert {t["function"]["name"] for t in body["tools"]} >= {"codekg_query"}
                msgs = body["messages"]
                seen.append(msgs)
                tool_msgs = [m for m in msgs if m["role"] == "tool"]
                if not tool_msgs:
                    reply = {"role": "assistant", "content": None, "tool_calls": [{
                        "id": "c1", "type": "function", "function": {
                            "name": "codekg_search", "arguments": json.dumps({"q": "PaymentGateway"})}}]}
                elif len(tool_msgs) == 1:
                    gw = tool_msgs[0]["content"].split()[0]  # the id the search returned
                    reply = {"role": "assistant", "content": None, "tool_calls": [{
                        "id": "c2", "type": "function", "function": {
                            "name": "codekg_query", "arguments": json.dumps({"query":
                                "MATCH (c:Class)-[:INHERITS]->(b) WHERE b.id = '%s' "
                                "RETURN c.name ORDER BY c.name" % gw})}}]}
                else:
                    names = tool_msgs[-1]["content"].splitlines()[1:]
                    reply = {"role": "assistant", "content": "Subclasses: " + ", ".join(names)}
                out = json.dumps({"choices": [{"message": reply}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Model)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            import codekg_tools
            chat = codekg_tools.openai_chat("http://127.0.0.1:%d/v1" % server.server_port, "k", "m")
            answer = run_agent(kg, "shop", "Which classes implement PaymentGateway?", chat)
        finally:
            server.shutdown()
        assert answer == "Subclasses: CardGateway, WalletGateway", answer
        assert len(seen) == 3 and seen[0][0]["role"] == "system", seen
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
