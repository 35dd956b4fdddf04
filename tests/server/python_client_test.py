"""End-to-end test of clients/python/codekg_client.py against a real codekgd.

Usage: python3 python_client_test.py <path to codekgd> <repo root>
Starts codekgd on a temp data folder with --port 0, drives it only through the client, and
stops it with SIGTERM. Exits non-zero on the first failure.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile


def main():
    codekgd, root = sys.argv[1], sys.argv[2]
    sys.dont_write_bytecode = True  # keep the source tree clean
    sys.path.insert(0, os.path.join(root, "clients", "python"))
    from codekg_client import Client, CodekgError

    data = tempfile.mkdtemp(prefix="codekg_pyclient_")
    proc = subprocess.Popen([codekgd, "--data", data, "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith("codekgd listening on http://"), line
        kg = Client(line.split(" on ", 1)[1].strip())

        assert kg.health() == {"status": "ok"}
        report = kg.ingest("shop", os.path.join(root, "samples", "python"))
        assert report["files_parsed"] == 10, report
        assert [g["name"] for g in kg.graphs()] == ["shop"]

        # class CardGateway(PaymentGateway), class WalletGateway(base.PaymentGateway).
        res = kg.query("shop", "MATCH (c:Class)-[:INHERITS]->(b:Class) WHERE b.name = $b "
                       "RETURN c.name ORDER BY c.name", params={"b": "PaymentGateway"})
        assert [r[0] for r in res["rows"]] == ["CardGateway", "WalletGateway"], res

        found = kg.search("shop", "giftcard", limit=3)
        gift = "shop/models.py:GiftCard"
        assert found["results"][0]["id"] == gift, found
        node = kg.node("shop", gift, max_lines=4)
        assert node["code"].startswith("  87 | class GiftCard(DigitalProduct):\n"), node
        assert "lines folded" in node["code"], node
        text = kg.tree("shop", gift, depth=1, types=["HAS_METHOD"], format="text")
        assert text.startswith(gift + " (Class)\n"), text
        assert "-[HAS_METHOD]-> " + gift + ".redeem (Method)" in text, text
        tree = kg.tree("shop", gift, depth=1, types=["HAS_METHOD"])
        assert {c["name"] for c in tree["root"]["children"]} >= {"redeem", "__init__"}, tree
        assert 'codekgd_http_requests_total{method="GET",route="/v1/graphs/{graph}/search"' \
            in kg.metrics()
        try:
            kg.node("shop", "shop/models.py:Nope")
            raise AssertionError("an unknown node must raise")
        except CodekgError as e:
            assert e.status == 404 and "shop/models.py:Nope" in e.message, e

        job = kg.synth("shop", strategy="relation_qa", seed=3, max_pairs=10)
        assert job["state"] == "succeeded", job
        records = list(kg.job_results(job["id"]))
        assert len(records) == job["summary"]["records"] == 10, (len(records), job)
        assert all({"instruction", "input", "output", "meta"} <= set(r) for r in records)

        # Asynchronous jobs: queued at once, then polled to the end.
        queued = kg.synth("shop", wait=False, strategy="relation_qa", seed=3, max_pairs=10)
        assert queued["state"] in ("queued", "running", "succeeded"), queued
        done = kg.wait_job(queued["id"], timeout=60)
        assert done["state"] == "succeeded", done
        assert done["progress"]["done"] == done["progress"]["total"], done
        assert [r for r in kg.job_results(done["id"])] == records
        again = kg.ingest("shop", os.path.join(root, "samples", "python"), wait=False)
        assert kg.wait_job(again["id"], timeout=60)["summary"]["files_unchanged"] == 10
        assert {j["id"] for j in kg.jobs(kind="synth")} >= {job["id"], done["id"]}
        assert kg.cancel_job(done["id"])["state"] == "succeeded"  # final jobs stay as they are

        try:
            kg.query("shop", "MATCH (c:Class RETURN c")
            raise AssertionError("a malformed query must raise")
        except CodekgError as e:
            assert e.status == 400 and e.code == "invalid_argument", e
            assert e.position is not None and e.position[0] == 1, e
        try:
            kg.query("nope", "MATCH (n) RETURN n")
            raise AssertionError("an unknown graph must raise")
        except CodekgError as e:
            assert e.status == 404 and "nope" in e.message, e
        print("python client: ok")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = proc.wait()
        shutil.rmtree(data, ignore_errors=True)
    assert code == 0, "codekgd exited with %d after SIGTERM" % code


if __name__ == "__main__":
    main()
