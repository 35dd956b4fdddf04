"""A tiny, stdlib-only client for codekgd (the codekg HTTP service).

    from codekg_client import Client
    kg = Client("http://127.0.0.1:7420")
    kg.ingest("shop", "/abs/path/to/samples/python")
    rows = kg.query("shop", "MATCH (c:Class) RETURN c.name")["rows"]
    job = kg.synth("shop", strategy="relation_qa", seed=7)
    for record in kg.job_results(job["id"]):
        print(record["instruction"])

Errors from the server raise CodekgError with the HTTP status, the error code
("invalid_argument", "not_found", ...), the message and, for errors in a query or JSON body,
the (line, column) position. The HTTP contract is server/api.md.
"""

import json
import time
import urllib.error
import urllib.parse
import urllib.request

__all__ = ["Client", "CodekgError"]


class CodekgError(Exception):
    """An error answer from codekgd (or no answer at all: status 0, code "unavailable")."""

    def __init__(self, status, code, message, position=None):
        super().__init__(f"{status} {code}: {message}" +
                         (f" (line {position[0]}, column {position[1]})" if position else ""))
        self.status = status
        self.code = code
        self.message = message
        self.position = position


class Client:
    """One codekgd server. Thread-safe (each call opens its own connection)."""

    def __init__(self, base_url="http://127.0.0.1:7420", token=None, timeout=300):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def _open(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode("utf-8")
        req = urllib.request.Request(self.base_url + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if self.token:
            req.add_header("Authorization", "Bearer " + self.token)
        try:
            return urllib.request.urlopen(req, timeout=self.timeout)
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                err = json.loads(raw)["error"]
            except (ValueError, KeyError, TypeError):
                raise CodekgError(e.code, "http_error", raw.decode("utf-8", "replace")) from None
            pos = err.get("position")
            raise CodekgError(e.code, err.get("code", ""), err.get("message", ""),
                              (pos["line"], pos["column"]) if pos else None) from None
        except urllib.error.URLError as e:
            raise CodekgError(0, "unavailable", str(e.reason)) from None

    def _call(self, method, path, body=None):
        with self._open(method, path, body) as resp:
            return json.loads(resp.read())

    @staticmethod
    def _graph(name):
        return "/v1/graphs/" + urllib.parse.quote(name, safe="")

    def health(self):
        """{"status": "ok"}"""
        return self._call("GET", "/healthz")

    def graphs(self):
        """All graphs: [{"name", "node_count", "edge_count", "file_count"}, ...]."""
        return self._call("GET", "/v1/graphs")["graphs"]

    def graph(self, name):
        """One graph with counts per label and edge type."""
        return self._call("GET", self._graph(name))["graph"]

    def create_graph(self, name):
        """Creates an empty graph; returns it. 409 (CodekgError) if it exists."""
        return self._call("POST", self._graph(name))["graph"]

    def delete_graph(self, name):
        """Drops a graph and all its facts (stopping its watch first)."""
        return self._call("DELETE", self._graph(name))

    def routes(self):
        """The server's routes table: [{"method", "path", "doc", "writes"}, ...]."""
        return self._call("GET", "/v1")["routes"]

    def openapi(self):
        """The OpenAPI 3 document of the HTTP API."""
        return self._call("GET", "/v1/openapi.json")

    def check(self, graph, code, language="python"):
        """Checks the API references of a code snippet against the graph: {"ok", "counts",
        "references": [{"name", "kind", "line", "col", "status", "suggestions", ...}], ...}."""
        return self._call("POST", self._graph(graph) + "/check",
                          {"code": code, "language": language})

    def fsck(self, graph):
        """Integrity check of the stored graph: {"graph", "ok", "nodes", "edges",
        "index_entries", "files", "problems"}."""
        return self._call("POST", self._graph(graph) + "/fsck")["fsck"]

    def ingest(self, graph, path, wait=True):
        """Ingests the folder `path` (on the server's machine) into `graph`. wait=True blocks
        until the job is done and returns its report; wait=False returns the queued job (see
        wait_job)."""
        if wait:
            return self._call("POST", self._graph(graph) + "/ingest?wait=true",
                              {"path": path})["report"]
        return self._call("POST", self._graph(graph) + "/ingest", {"path": path})["job"]

    def watch(self, graph, path, debounce_ms=None):
        """Ingests `path` and keeps `graph` in sync with it; returns {"watch", "report"}."""
        body = {"path": path, "watch": True}
        if debounce_ms is not None:
            body["debounce_ms"] = debounce_ms
        return self._call("POST", self._graph(graph) + "/ingest", body)

    def stop_watch(self, graph):
        return self._call("DELETE", self._graph(graph) + "/watch")

    def query(self, graph, q, params=None, limit=None, timeout_ms=None):
        """Runs a query; returns {"columns", "rows", "stats", "warnings", "truncated", ...}."""
        body = {"query": q}
        if params is not None:
            body["params"] = params
        if limit is not None:
            body["limit"] = limit
        if timeout_ms is not None:
            body["timeout_ms"] = timeout_ms
        return self._call("POST", self._graph(graph) + "/query", body)

    def search(self, graph, q, limit=None):
        """Ranked entity search; returns {"query", "total", "results": [{"id", "kind", "name",
        "qualified_name", "path", "start_line", "signature", "score"}], "truncated", ...}."""
        args = {"q": q}
        if limit is not None:
            args["limit"] = limit
        return self._call("GET", self._graph(graph) + "/search?" + urllib.parse.urlencode(args))

    def node(self, graph, node_id, max_lines=None):
        """One node with line-numbered code and edge counts (the id is percent-encoded here)."""
        path = self._graph(graph) + "/nodes/" + urllib.parse.quote(node_id, safe="")
        if max_lines is not None:
            path += "?" + urllib.parse.urlencode({"max_lines": max_lines})
        return self._call("GET", path)["node"]

    def tree(self, graph, node_id, depth=None, direction=None, types=None, max_nodes=None,
             format="json"):
        """A traversal tree from a node: a dict for format="json", a str for format="text"."""
        args = {"format": format}
        for key, value in (("depth", depth), ("direction", direction), ("max_nodes", max_nodes)):
            if value is not None:
                args[key] = value
        if types:
            args["types"] = ",".join(types)
        path = (self._graph(graph) + "/nodes/" + urllib.parse.quote(node_id, safe="") + "/tree?" +
                urllib.parse.urlencode(args))
        with self._open("GET", path) as resp:
            raw = resp.read()
        return raw.decode("utf-8") if format == "text" else json.loads(raw)

    def metrics(self):
        """The Prometheus text of GET /metrics."""
        with self._open("GET", "/metrics") as resp:
            return resp.read().decode("utf-8")

    def synth(self, graph, wait=True, **kw):
        """Runs a synthesis job (strategy, seed, max_pairs, format). wait=True returns the
        finished job; wait=False the queued one (see wait_job)."""
        path = self._graph(graph) + "/synth" + ("?wait=true" if wait else "")
        return self._call("POST", path, kw)["job"]

    def job(self, job_id):
        """A job: {"id", "kind", "state", "progress": {"done", "total", "rate", "eta_s"}, ...}."""
        return self._call("GET", "/v1/jobs/" + urllib.parse.quote(job_id, safe=""))["job"]

    def jobs(self, state=None, kind=None, graph=None, limit=None):
        """Jobs, newest first."""
        args = {k: v for k, v in (("state", state), ("kind", kind), ("graph", graph),
                                  ("limit", limit)) if v is not None}
        path = "/v1/jobs" + ("?" + urllib.parse.urlencode(args) if args else "")
        return self._call("GET", path)["jobs"]

    def cancel_job(self, job_id):
        """Cancels a queued or running job; returns the job as of now."""
        return self._call("DELETE", "/v1/jobs/" + urllib.parse.quote(job_id, safe=""))["job"]

    def wait_job(self, job_id, timeout=None, poll=0.2):
        """Polls until the job is final (succeeded, failed or cancelled) and returns it. Raises
        TimeoutError after `timeout` seconds (None = no limit)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            job = self.job(job_id)
            if job["state"] in ("succeeded", "failed", "cancelled"):
                return job
            if deadline is not None and time.monotonic() >= deadline:
                raise TimeoutError("job %s still %s" % (job_id, job["state"]))
            time.sleep(poll)

    def job_results(self, job_id):
        """Yields the job's result records (one dict per JSONL line), streamed."""
        path = "/v1/jobs/" + urllib.parse.quote(job_id, safe="") + "/results"
        with self._open("GET", path) as resp:
            for line in resp:
                line = line.strip()
                if line:
                    yield json.loads(line)


if __name__ == "__main__":
    import sys

    client = Client(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:7420")
    print(json.dumps(client.health()))
    print(json.dumps(client.graphs(), indent=2))
