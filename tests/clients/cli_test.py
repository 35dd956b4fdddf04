"""End-to-end test of the `codekg` CLI against a real codekgd.

Usage: python3 cli_test.py <path to codekgd> <path to codekg> <repo root>
Starts codekgd on a temp data folder with --port 0 and drives it only through the CLI binary,
as a user at a terminal would (CODEKG_URL in the environment). Exits non-zero on the first
failure, printing the command and its output.
"""

import json
import os
import pty
import select
import shutil
import subprocess
import sys
import tempfile
import time


def run_in_pty(argv, env, keys):
    """Runs argv on a pseudo-terminal, typing each of `keys` after output settles; returns
    everything it printed."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(argv[0], argv, env)
    out = b""

    def pump(seconds):
        nonlocal out
        end = time.time() + seconds
        while time.time() < end:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    out += os.read(fd, 65536)
                except OSError:
                    return

    pump(1.0)
    for k in keys:
        os.write(fd, k)
        pump(1.0)
    os.waitpid(pid, 0)
    os.close(fd)
    return out.decode("utf-8", "replace")


def main():
    codekgd, codekg, root = sys.argv[1], sys.argv[2], sys.argv[3]
    data = tempfile.mkdtemp(prefix="codekg_cli_")
    proc = subprocess.Popen([codekgd, "--data", os.path.join(data, "d"), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith("codekgd listening on http://"), line
        env = dict(os.environ, CODEKG_URL=line.split(" on ", 1)[1].strip(),
                   CODEKG_HISTORY=os.path.join(data, "history"))

        def run(*args, stdin=None, expect=0):
            # Bytes in and out, decoded here: text mode would turn the CSV's CRLF into LF.
            r = subprocess.run([codekg, *args], input=stdin.encode() if stdin else None,
                               capture_output=True, env=env, cwd=root, timeout=120)
            r.stdout, r.stderr = r.stdout.decode(), r.stderr.decode()
            if r.returncode != expect:
                raise AssertionError("codekg %s: exit %d (want %d)\nstdout:\n%s\nstderr:\n%s" % (
                    " ".join(args), r.returncode, expect, r.stdout, r.stderr))
            return r

        # Ingest with a relative path: the CLI makes it absolute before sending it.
        r = run("ingest", "samples/python", "--graph", "shop")
        assert "ingested " + os.path.join(root, "samples", "python") in r.stdout, r.stdout
        assert "files_parsed:" in r.stdout and " 10\n" in r.stdout, r.stdout
        report = json.loads(run("ingest", "samples/python", "--graph", "shop", "--json").stdout)
        assert report["files_unchanged"] == 10 and report["files_parsed"] == 0, report

        r = run("graphs")
        assert r.stdout.splitlines()[0].split() == ["graph", "|", "nodes", "|", "edges", "|",
                                                    "files"], r.stdout
        assert r.stdout.splitlines()[2].split()[0] == "shop", r.stdout

        # An aligned table: every row's '|' lines up with the header's.
        q = ("MATCH (c:Class)-[:INHERITS]->(b:Class {name: $base}) "
             "RETURN c.name AS subclass, b.name AS base ORDER BY subclass")
        r = run("query", "shop", q, "--param", "base=PaymentGateway")
        lines = r.stdout.splitlines()
        assert lines[0].split() == ["subclass", "|", "base"], r.stdout
        assert [l.split()[0] for l in lines[2:4]] == ["CardGateway", "WalletGateway"], r.stdout
        assert len({l.index("|") for l in [lines[0]] + lines[2:4]}) == 1, r.stdout
        assert lines[4].startswith("(2 rows"), r.stdout

        r = run("query", "shop", q, "--param", "base=PaymentGateway", "--csv")
        assert r.stdout == "subclass,base\r\nCardGateway,PaymentGateway\r\n" \
                           "WalletGateway,PaymentGateway\r\n", repr(r.stdout)
        answer = json.loads(run("query", "shop", q, "--param", "base=Product", "--json").stdout)
        assert [row[0] for row in answer["rows"]] == ["DigitalProduct", "PhysicalProduct"], answer

        # A syntax error: exit 1, the server's message and a caret under the column.
        r = run("query", "shop", "MATCH (c:Class)\nRETURN c.name ORDER BY", expect=1)
        err = r.stderr.splitlines()
        assert err[0].startswith("error: invalid_argument: "), r.stderr
        assert err[1] == "  2 | RETURN c.name ORDER BY", r.stderr
        assert err[2].index("^") == len("  2 | RETURN c.name ORDER BY"), r.stderr
        # An unknown label: rows are empty, the warning suggests the close name.
        r = run("query", "shop", "MATCH (c:Clas) RETURN c.name")
        assert "(0 rows" in r.stdout and "did you mean 'Class'" in r.stdout, r.stdout
        # Usage errors exit 2 without contacting the server.
        run("query", "shop", expect=2)
        run("query", "shop", "RETURN 1", "--limit", "0", expect=2)
        run("frobnicate", expect=2)

        # The shell: multi-line statements, :format, errors do not end the session.
        script = ("MATCH (c:Class {name: 'GiftCard'})\n"
                  "RETURN c.qualified_name;\n"
                  ":format csv\n"
                  "MATCH (x RETURN x;\n"
                  "MATCH (m:Method {name: 'redeem'}) RETURN m.name;\n"
                  "EXPLAIN MATCH (c:Class {name: 'Cart'})\n-[:HAS_METHOD]->(m) RETURN m.name;\n"
                  ":history\n")
        r = run("shell", "shop", stdin=script, expect=1)  # one statement failed
        assert "shop.models.GiftCard" in r.stdout, r.stdout
        assert "m.name\r\nredeem\r\n" in r.stdout, r.stdout
        assert "plan\r\n" in r.stdout and "Expand" in r.stdout, r.stdout  # EXPLAIN's plan rows
        assert "expected ')'" in r.stderr, r.stderr
        assert "MATCH (c:Class {name: 'GiftCard'}) RETURN c.qualified_name" in r.stdout, r.stdout
        with open(env["CODEKG_HISTORY"]) as f:
            assert len(f.read().splitlines()) == 4  # the statements that were sent

        # On a terminal the shell edits lines with libedit: the up arrow recalls the last
        # statement (kept with its ';'), so Enter runs it again.
        out = run_in_pty([codekg, "shell", "shop"], env,
                         [b"MATCH (c:Class)\r", b"RETURN count(c) AS n;\r", b"\x1b[A\r", b"\x04"])
        assert out.count("(1 row") == 2, out

        r = run("search", "shop", "gift_card", "--limit", "2")
        assert r.stdout.splitlines()[2].split()[2:5] == ["Class", "|", "shop.models.GiftCard"], r.stdout
        r = run("node", "shop", "shop/models.py:GiftCard", "--max-lines", "4")
        assert r.stdout.startswith("shop/models.py:GiftCard :Class\n"), r.stdout
        assert "  87 | class GiftCard(DigitalProduct):" in r.stdout, r.stdout
        r = run("node", "shop", "shop/models.py:GiftCard", "--tree", "--depth", "1",
                "--types", "HAS_METHOD")
        assert "-[HAS_METHOD]-> shop/models.py:GiftCard.redeem (Method)" in r.stdout, r.stdout
        r = run("node", "shop", "shop/models.py:Nope", expect=1)
        assert "not_found" in r.stderr, r.stderr

        # Synthesis to a file: valid JSONL, as many lines as asked.
        out = os.path.join(data, "pairs.jsonl")
        run("synth", "shop", "--out", out, "--max-pairs", "7", "--seed", "1")
        with open(out) as f:
            rows = [json.loads(l) for l in f]
        assert len(rows) == 7 and all(r["instruction"] and r["output"] for r in rows), rows

        # Jobs: the ingests and the synthesis above, newest first, all succeeded.
        r = run("jobs")
        rows = [l.split("|") for l in r.stdout.splitlines()[2:] if "|" in l]
        assert len(rows) >= 3 and all(c[3].strip() == "succeeded" for c in rows), r.stdout
        assert {c[1].strip() for c in rows} == {"ingest", "synth"}, r.stdout
        r = run("jobs", rows[0][0].strip())
        assert "state:" in r.stdout and "succeeded" in r.stdout, r.stdout

        run("graphs", "shop", "--delete")
        r = run("query", "shop", "RETURN 1", expect=1)
        assert "not_found" in r.stderr, r.stderr
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)
    print("cli_test: ok")


if __name__ == "__main__":
    main()
