"""Ready-made agent tools over codekgd: OpenAI function-calling schemas, a dispatcher, and a
small tool-calling loop for any OpenAI-compatible chat endpoint. Standard library only.

    from codekg_client import Client
    from codekg_tools import tool_definitions, call_tool, run_agent, openai_chat

    kg = Client("http://127.0.0.1:7420")
    tools = tool_definitions(graph="shop")           # pass to chat.completions(tools=...)
    text = call_tool(kg, "codekg_search", {"q": "gift card"}, graph="shop")
    answer = run_agent(kg, "shop", "Which classes inherit from Product?",
                       openai_chat("http://localhost:8000/v1", "sk-...", "my-model"))

Tool results are compact text meant for a model's context: tables are cut at `max_rows` rows and
`max_chars` characters with an explicit note, and errors come back as text ("error: ...") with
the server's suggestions instead of raising, so the model can correct itself.
"""

import json
import urllib.parse
import urllib.request

from codekg_client import CodekgError

__all__ = ["tool_definitions", "call_tool", "run_agent", "openai_chat", "SYSTEM_PROMPT"]

SYSTEM_PROMPT = (
    "You answer questions about a codebase using its code knowledge graph. Nodes: Repo, "
    "Directory, File, Module, Class, Function, Method, Field, Variable, External, Doc, DocSection; "
    "properties id, name, qualified_name, path, start_line, end_line, signature, docstring, code. "
    "Edges: CONTAINS, HAS_METHOD, HAS_FIELD, IMPORTS, INHERITS, OVERRIDES, CALLS, USES, "
    "REFERENCES, DOCUMENTS. Use codekg_search to find entities by name, codekg_query for "
    "Cypher-like queries (MATCH ... WHERE ... RETURN ...), codekg_get_node to read code, "
    "codekg_traverse to see neighbours. Only name APIs that the graph confirms exist.")

_GRAPH = {"type": "string", "description": "graph (repository) name"}

_TOOLS = [
    ("codekg_query",
     "Run a read-only Cypher-like query on the code graph, e.g. MATCH (c:Class {name: 'Cart'})"
     "-[:HAS_METHOD]->(m:Method) RETURN m.name, m.signature. Returns a text table.",
     {"query": {"type": "string", "description": "the query"},
      "limit": {"type": "integer", "minimum": 1, "maximum": 1000,
                "description": "maximum rows (default 50)"}},
     ["query"]),
    ("codekg_search",
     "Find classes, functions, methods, modules, fields and variables by (fuzzy, camelCase and "
     "snake_case aware) name. Returns ranked ids to pass to codekg_get_node.",
     {"q": {"type": "string", "description": "a name or part of one, e.g. 'gift card'"},
      "limit": {"type": "integer", "minimum": 1, "maximum": 100}},
     ["q"]),
    ("codekg_get_node",
     "Read one entity by id (as returned by search or queries): its properties, edge counts "
     "and line-numbered code.",
     {"id": {"type": "string", "description": "node id, e.g. 'shop/models.py:GiftCard'"},
      "max_lines": {"type": "integer", "minimum": 2, "maximum": 2000}},
     ["id"]),
    ("codekg_traverse",
     "Show the neighbourhood of an entity as an indented tree (callers, callees, methods, "
     "bases, imports...).",
     {"id": {"type": "string", "description": "node id to start from"},
      "depth": {"type": "integer", "minimum": 1, "maximum": 5},
      "direction": {"type": "string", "enum": ["out", "in", "both"]},
      "types": {"type": "array", "items": {"type": "string"},
                "description": "edge types to follow, e.g. ['CALLS']"}},
     ["id"]),
    ("codekg_check_api",
     "Check Python code you are about to write against the codebase: every module, class, "
     "function, method and attribute it names is reported as resolved, not found (with the "
     "nearest real names) or unresolvable, plus wrong argument counts.",
     {"code": {"type": "string", "description": "a Python snippet"}},
     ["code"]),
]


def tool_definitions(graph=None):
    """The tools as OpenAI function-calling definitions ({"type": "function", "function":
    {...}}). With `graph`, the graph is fixed and not a parameter; else each tool takes it."""
    out = []
    for name, description, props, required in _TOOLS:
        properties = dict(props)
        req = list(required)
        if graph is None:
            properties = {"graph": _GRAPH, **properties}
            req = ["graph"] + req
        out.append({"type": "function", "function": {
            "name": name, "description": description,
            "parameters": {"type": "object", "properties": properties, "required": req,
                           "additionalProperties": False}}})
    return out


def _cell(value):
    if value is None:
        return "null"
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "_id" in value and "_labels" in value:
        return "(%s %s)" % ("".join(":" + l for l in value["_labels"]), value["_id"])
    if isinstance(value, dict) and "_type" in value:
        return "[:%s %s->%s]" % (value["_type"], value.get("_src"), value.get("_dst"))
    return json.dumps(value, ensure_ascii=False)


def _table(result, max_rows):
    lines = [" | ".join(result["columns"])]
    rows = result["rows"]
    for row in rows[:max_rows]:
        lines.append(" | ".join(_cell(v).replace("\n", "\\n") for v in row))
    notes = []
    if len(rows) > max_rows:
        notes.append("(%d more rows not shown; add LIMIT or narrow the query)" % (len(rows) - max_rows))
    if result.get("truncated") and result.get("limit_hit") in (None, "max_rows"):
        notes.append("(more rows exist; add LIMIT/ORDER BY or narrow the query)")
    elif result.get("truncated"):
        notes.append("(result cut short: the %s limit was hit)" % result["limit_hit"])
    notes += ["warning: " + w for w in result.get("warnings") or []]
    if not rows:
        notes.insert(0, "(no rows)")
    return "\n".join(lines + notes)


def _cap(text, max_chars):
    if len(text) <= max_chars:
        return text
    return text[:max_chars] + "\n... (cut at %d characters)" % max_chars


def call_tool(client, name, arguments, graph=None, max_rows=50, max_chars=8000):
    """Runs tool `name` with `arguments` (a dict, or a JSON string as models send it) and returns
    the text for the model. Never raises for server-side errors: they come back as text."""
    try:
        args = json.loads(arguments) if isinstance(arguments, str) else dict(arguments or {})
    except ValueError as e:
        return "error: arguments are not valid JSON: %s" % e
    g = graph if graph is not None else args.pop("graph", None)
    args.pop("graph", None)
    if not g:
        return "error: missing argument 'graph'"
    try:
        if name == "codekg_query":
            limit = int(args.get("limit", max_rows))
            result = client.query(g, args["query"], limit=limit)
            return _cap(_table(result, max_rows), max_chars)
        if name == "codekg_search":
            res = client.search(g, args["q"], limit=args.get("limit"))
            if not res["results"]:
                return res.get("reason") or "no match"
            lines = ["%s  %s  %s  (%s:%s)" % (r["id"], r["kind"], r.get("signature") or "",
                                              r.get("path"), r.get("start_line"))
                     for r in res["results"]]
            if res.get("truncated"):
                lines.append("(%d matches in all)" % res["total"])
            return _cap("\n".join(lines), max_chars)
        if name == "codekg_get_node":
            node = client.node(g, args["id"], max_lines=args.get("max_lines"))
            props = node.get("properties", {})
            head = ["%s (%s)" % (node["id"], ", ".join(node.get("labels", [])))]
            for key in ("qualified_name", "signature", "path", "start_line", "end_line",
                        "docstring"):
                if props.get(key) not in (None, ""):
                    head.append("%s: %s" % (key, props[key]))
            if node.get("edges"):
                head.append("edges: %s" % json.dumps(node["edges"], sort_keys=True))
            if node.get("code"):
                head.append(node["code"])
            return _cap("\n".join(head), max_chars)
        if name == "codekg_traverse":
            text = client.tree(g, args["id"], depth=args.get("depth"),
                               direction=args.get("direction"), types=args.get("types"),
                               format="text")
            return _cap(text, max_chars)
        if name == "codekg_check_api":
            res = client.check(g, args["code"])
            lines = ["ok" if res.get("ok") else "problems found"]
            for ref in res.get("references", []):
                if ref.get("status") == "resolved" and not ref.get("arity"):
                    continue
                line = "line %s: %s %s: %s" % (ref.get("line"), ref.get("kind"), ref.get("name"),
                                               ref.get("status"))
                if ref.get("arity"):
                    line += " (arguments: expected %s, given %s)" % (ref["arity"].get("expected"),
                                                                   ref["arity"].get("given"))
                if ref.get("suggestions"):
                    line += "; did you mean " + ", ".join(ref["suggestions"][:5])
                lines.append(line)
            if res.get("syntax_error"):
                lines.append("syntax error: %s" % res["syntax_error"])
            return _cap("\n".join(lines), max_chars)
        return "error: unknown tool %r (tools: %s)" % (name, ", ".join(t[0] for t in _TOOLS))
    except KeyError as e:
        return "error: missing argument %s" % e
    except CodekgError as e:
        where = " at line %d, column %d" % tuple(e.position) if e.position else ""
        return "error: %s: %s%s" % (e.code, e.message, where)


def openai_chat(base_url, api_key, model, timeout=120):
    """A chat function for run_agent over an OpenAI-compatible /chat/completions endpoint."""
    url = base_url.rstrip("/") + "/chat/completions"

    def chat(messages, tools):
        body = json.dumps({"model": model, "messages": messages, "tools": tools}).encode()
        req = urllib.request.Request(url, data=body, method="POST")
        req.add_header("Content-Type", "application/json")
        if api_key:
            req.add_header("Authorization", "Bearer " + api_key)
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return json.loads(resp.read())["choices"][0]["message"]

    return chat


def run_agent(client, graph, question, chat, max_turns=8, log=None):
    """A minimal tool-calling loop: asks `chat(messages, tools)` (returns an assistant message
    dict, OpenAI style), runs the tool calls it makes against `graph`, and returns the first
    answer without tool calls. Raises RuntimeError after `max_turns` rounds of tool calls."""
    tools = tool_definitions(graph=graph)
    messages = [{"role": "system", "content": SYSTEM_PROMPT + " The graph is '%s'." % graph},
                {"role": "user", "content": question}]
    for _ in range(max_turns):
        reply = chat(messages, tools)
        calls = reply.get("tool_calls") or []
        messages.append({"role": "assistant", "content": reply.get("content"),
                         **({"tool_calls": calls} if calls else {})})
        if not calls:
            return reply.get("content") or ""
        for call in calls:
            fn = call["function"]
            result = call_tool(client, fn["name"], fn.get("arguments") or "{}", graph=graph)
            if log:
                log(fn["name"], fn.get("arguments"), result)
            messages.append({"role": "tool", "tool_call_id": call["id"], "content": result})
    raise RuntimeError("no final answer after %d tool rounds" % max_turns)


if __name__ == "__main__":
    # python3 codekg_tools.py GRAPH "question"   (OPENAI_BASE_URL, OPENAI_API_KEY, MODEL, CODEKG_URL)
    import os
    import sys

    from codekg_client import Client

    kg = Client(os.environ.get("CODEKG_URL", "http://127.0.0.1:7420"),
                token=os.environ.get("CODEKG_TOKEN"))
    chat = openai_chat(os.environ.get("OPENAI_BASE_URL", "http://127.0.0.1:8000/v1"),
                       os.environ.get("OPENAI_API_KEY", ""), os.environ.get("MODEL", "default"))
    print(run_agent(kg, sys.argv[1], sys.argv[2], chat,
                    log=lambda n, a, r: print("[tool] %s %s -> %d chars" % (n, a, len(r)),
                                              file=sys.stderr)))
