// POST /mcp: the Model Context Protocol over streamable HTTP (spec revisions 2025-03-26 and
// 2025-06-18), JSON-RPC 2.0. The tools are the read API: each tools/call runs the same handler
// as the matching HTTP route and returns its body as text. GET /mcp is 405 (no server-initiated
// stream is offered). Tools: query, search, get_node, traverse, check_api, fsck, ingest. Tools
// that change state (annotation readOnlyHint false: ingest) need the
// bearer token when one is configured (HTTP 403 otherwise); with --auth-reads the whole
// endpoint does (checked by the dispatcher).
#include <string>

#include "server/context.h"
#include "server/handlers/handlers.h"
#include "server/handlers/util.h"
#include "server/http_status.h"

namespace kg::server::handlers {

namespace {

constexpr std::string_view kLatestProtocol = "2025-06-18";
constexpr std::string_view kSupportedProtocols[] = {"2025-06-18", "2025-03-26"};

// JSON-RPC 2.0 error codes.
constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;

struct RpcError {
  int code;
  std::string message;
};

Json RpcErrorJson(const Json& id, const RpcError& e) {
  return Json{
      {"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", e.code}, {"message", e.message}}}};
}

Json Schema(Json properties, std::vector<std::string> required) {
  return Json{{"type", "object"},
              {"properties", std::move(properties)},
              {"required", required},
              {"additionalProperties", false}};
}

Json ToolList() {
  const Json graph = {{"type", "string"},
                      {"description", "graph name (GET /v1/graphs lists them)"}};
  const Json id = {
      {"type", "string"},
      {"description", "node id as returned by search, e.g. 'shop/models.py:GiftCard'"}};
  Json tools = Json::array();
  tools.push_back(
      {{"name", "query"},
       {"title", "Cypher-like graph query"},
       {"description",
        "Run a read-only Cypher-like query over a code knowledge graph. Labels: Repo, Directory, "
        "File, Module, Class, Function, Method, Field, Variable, External, Doc, DocSection. "
        "Edge types: CONTAINS, HAS_METHOD, HAS_FIELD, DEFINES_MODULE, IMPORTS, EXPORTS, "
        "INHERITS, IMPLEMENTS, OVERRIDES, CALLS, USES, REFERENCES, DOCUMENTS. Node properties: "
        "id, name, qualified_name, path, start_line, end_line, signature, docstring, code. "
        "Returns {columns, rows, warnings, truncated}."},
       {"inputSchema",
        Schema({{"graph", graph},
                {"query",
                 {{"type", "string"},
                  {"description", "e.g. MATCH (c:Class)-[:INHERITS]->(b) RETURN c.name, b.name"}}},
                {"params", {{"type", "object"}, {"description", "values for $name parameters"}}},
                {"limit", {{"type", "integer"}, {"minimum", 1}, {"description", "max rows"}}}},
               {"graph", "query"})}});
  tools.push_back(
      {{"name", "search"},
       {"title", "Find code entities by name"},
       {"description",
        "Ranked, case-insensitive search over class, function, method, module, variable and "
        "field names (exact > prefix > camel/snake tokens > substring > docstring). Returns ids "
        "for get_node and traverse; suggests close names when nothing matches."},
       {"inputSchema",
        Schema({{"graph", graph},
                {"q",
                 {{"type", "string"},
                  {"description", "a name, part of one, or a dotted qualified name"}}},
                {"limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", 100}}}},
               {"graph", "q"})}});
  tools.push_back(
      {{"name", "get_node"},
       {"title", "Read one entity with its code"},
       {"description",
        "One node: labels, properties, its source code line-numbered (long code folded), and "
        "counts of incoming/outgoing edges by type."},
       {"inputSchema", Schema({{"graph", graph},
                               {"id", id},
                               {"max_lines",
                                {{"type", "integer"},
                                 {"minimum", 2},
                                 {"description", "fold code longer than this (default 80)"}}}},
                              {"graph", "id"})}});
  tools.push_back(
      {{"name", "traverse"},
       {"title", "Explore the graph around an entity"},
       {"description",
        "A breadth-first traversal tree from a node (depth <= 5), following edges out, in or "
        "both, optionally only some edge types; rendered as an indented text tree (or JSON)."},
       {"inputSchema", Schema({{"graph", graph},
                               {"id", id},
                               {"depth", {{"type", "integer"}, {"minimum", 1}, {"maximum", 5}}},
                               {"direction", {{"type", "string"}, {"enum", {"out", "in", "both"}}}},
                               {"types",
                                {{"type", "array"},
                                 {"items", {{"type", "string"}}},
                                 {"description", "edge types, e.g. [\"CALLS\", \"HAS_METHOD\"]"}}},
                               {"max_nodes", {{"type", "integer"}, {"minimum", 1}}},
                               {"format", {{"type", "string"}, {"enum", {"text", "json"}}}}},
                              {"graph", "id"})}});
  tools.push_back(
      {{"name", "check_api"},
       {"title", "Check the APIs a code snippet uses"},
       {"description",
        "Parses a Python snippet and checks every imported module, class, function, method and "
        "attribute it references against the graph, and the argument counts of calls. Returns "
        "{ok, references: [{name, kind, line, col, status: resolved|not_found|unresolvable, "
        "node_id?, suggestions, arity?}], counts, syntax_error}. Use it to verify generated "
        "code before running it."},
       {"inputSchema",
        Schema({{"graph", graph},
                {"code", {{"type", "string"}, {"description", "the snippet (<= 256 KiB)"}}},
                {"language", {{"type", "string"}, {"enum", {"python"}}}}},
               {"graph", "code"})}});
  tools.push_back(
      {{"name", "fsck"},
       {"title", "Check a graph's integrity"},
       {"description",
        "Checks that every index entry, count, file manifest and edge of `graph` agrees with "
        "its node and edge records. Returns {fsck: {ok, nodes, edges, index_entries, files, "
        "problems: [one line each]}}."},
       {"inputSchema", Schema({{"graph", graph}}, {"graph"})}});
  tools.push_back(
      {{"name", "ingest"},
       {"title", "Ingest a source folder"},
       {"description",
        "Parses the source folder `path` (on the server's machine, inside its allowed roots) "
        "into `graph`, creating the graph if needed; incremental: unchanged files are skipped. "
        "Waits for the job and returns its report. Changes state: needs the bearer token when "
        "the server has one."},
       {"inputSchema",
        Schema({{"graph", graph},
                {"path", {{"type", "string"}, {"description", "absolute folder path"}}}},
               {"graph", "path"})}});
  // MCP tool annotations: every tool but ingest only reads.
  for (Json& t : tools) {
    bool writes = t["name"] == "ingest";
    t["annotations"] = Json{{"readOnlyHint", !writes},
                            {"destructiveHint", false},
                            {"idempotentHint", true},
                            {"openWorldHint", false}};
  }
  return tools;
}

// Checks `args` against a tool's schema: required keys present, no unknown keys, and types
// (string / integer / object / array of strings). Returns the error message, or "".
std::string CheckArguments(const Json& schema, const Json& args) {
  for (const auto& r : schema["required"]) {
    if (!args.contains(r.get<std::string>()))
      return "missing required argument '" + r.get<std::string>() + "'";
  }
  const Json& props = schema["properties"];
  for (auto it = args.begin(); it != args.end(); ++it) {
    if (!props.contains(it.key())) return "unknown argument '" + it.key() + "'";
    const std::string type = props[it.key()]["type"];
    const Json& v = it.value();
    bool ok = (type == "string" && v.is_string()) || (type == "integer" && v.is_number_integer()) ||
              (type == "object" && v.is_object()) ||
              (type == "array" && v.is_array() &&
               std::all_of(v.begin(), v.end(), [](const Json& x) { return x.is_string(); }));
    if (!ok)
      return "argument '" + it.key() + "' must be " +
             (type == "array"
                  ? "an array of strings"
                  : "a" + std::string(type == "integer" || type == "object" ? "n " : " ") + type);
  }
  return "";
}

std::string ParamText(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array()) {
    std::string out;
    for (const auto& x : v) out += (out.empty() ? "" : ",") + x.get<std::string>();
    return out;
  }
  return v.dump();
}

// Runs tool `name` with checked `args`: the handler's body as MCP tool result content.
Json CallTool(ServerContext& context, const std::string& name, const Json& args) {
  ApiRequest req;
  req.method = "GET";
  req.path_params["graph"] = args["graph"].get<std::string>();
  Handler handler = nullptr;
  if (name == "query" || name == "ingest" || name == "check_api") {
    req.method = "POST";
    Json body = args;
    body.erase("graph");
    req.body = body.dump();
    handler = &Query;
    if (name == "ingest") {
      req.query.emplace("wait", "true");
      handler = &Ingest;
    } else if (name == "check_api") {
      handler = &CheckCode;
    }
  } else if (name == "fsck") {
    req.method = "POST";
    handler = &FsckGraph;
  } else {
    std::vector<std::string> as_params;
    if (name == "search") {
      handler = &Search;
      as_params = {"q", "limit"};
    } else if (name == "get_node") {
      handler = &GetNode;
      as_params = {"max_lines"};
    } else {
      handler = &NodeTree;
      as_params = {"depth", "direction", "types", "max_nodes", "format"};
      if (!args.contains("format")) req.query.emplace("format", "text");
    }
    if (args.contains("id")) req.path_params["id"] = args["id"].get<std::string>();
    for (const std::string& p : as_params) {
      if (args.contains(p)) req.query.emplace(p, ParamText(args[p]));
    }
  }
  Result<ApiResponse> r = handler(context, req);
  std::string text;
  bool is_error = !r.ok();
  if (is_error) {
    text = DumpJson(ErrorJson(r.status()));
  } else if (r->content_type == "application/json") {
    Json parsed = Json::parse(r->body, nullptr, false);
    text = parsed.is_discarded() ? r->body : parsed.dump(1);
  } else {
    text = r->body;
  }
  return Json{{"content", Json::array({Json{{"type", "text"}, {"text", text}}})},
              {"isError", is_error}};
}

// Handles one JSON-RPC request object (not a notification). Returns the response message and
// sets *http_status (200, or 403 for a tool that writes called without the token).
Json HandleRequest(ServerContext& context, const ApiRequest& request, const Json& msg,
                   const Json& id, int* http_status) {
  const std::string method = msg["method"];
  Json params = msg.contains("params") ? msg["params"] : Json::object();
  if (!params.is_object()) return RpcErrorJson(id, {kInvalidParams, "params must be an object"});
  if (method == "initialize") {
    if (!params.contains("protocolVersion") || !params["protocolVersion"].is_string()) {
      return RpcErrorJson(id,
                          {kInvalidParams, "initialize needs params.protocolVersion (a string)"});
    }
    std::string requested = params["protocolVersion"];
    std::string chosen(kLatestProtocol);
    for (std::string_view v : kSupportedProtocols) {
      if (v == requested) chosen = requested;
    }
    Json result = {
        {"protocolVersion", chosen},
        {"capabilities", {{"tools", {{"listChanged", false}}}}},
        {"serverInfo",
         {{"name", "codekgd"}, {"title", "codekg code knowledge graph"}, {"version", "0.1.0"}}},
        {"instructions",
         "Find entities with `search`, read one with `get_node`, explore around it "
         "with `traverse`, and ask precise questions with `query`."}};
    return Json{{"jsonrpc", "2.0"}, {"id", id}, {"result", result}};
  }
  if (method == "ping") return Json{{"jsonrpc", "2.0"}, {"id", id}, {"result", Json::object()}};
  if (method == "tools/list") {
    return Json{{"jsonrpc", "2.0"}, {"id", id}, {"result", {{"tools", ToolList()}}}};
  }
  if (method == "tools/call") {
    if (!params.contains("name") || !params["name"].is_string()) {
      return RpcErrorJson(id, {kInvalidParams, "tools/call needs params.name (a string)"});
    }
    std::string name = params["name"];
    Json args = params.contains("arguments") ? params["arguments"] : Json::object();
    if (!args.is_object())
      return RpcErrorJson(id, {kInvalidParams, "params.arguments must be an object"});
    Json tools = ToolList();
    const Json* tool = nullptr;
    for (const auto& t : tools) {
      if (t["name"] == name) tool = &t;
    }
    if (tool == nullptr) {
      std::string names;
      for (const auto& t : tools)
        names += (names.empty() ? "" : ", ") + t["name"].get<std::string>();
      return RpcErrorJson(id,
                          {kInvalidParams, "unknown tool '" + name + "' (tools: " + names + ")"});
    }
    if (!(*tool)["annotations"]["readOnlyHint"].get<bool>() && !HasWriteAccess(context, request)) {
      *http_status = 403;
      return RpcErrorJson(id, {kInvalidRequest, "tool '" + name +
                                                    "' changes state and needs the header "
                                                    "'Authorization: Bearer <token>'"});
    }
    std::string problem = CheckArguments((*tool)["inputSchema"], args);
    if (!problem.empty())
      return RpcErrorJson(id, {kInvalidParams, "tool '" + name + "': " + problem});
    return Json{{"jsonrpc", "2.0"}, {"id", id}, {"result", CallTool(context, name, args)}};
  }
  return RpcErrorJson(id, {kMethodNotFound, "method not found: '" + method + "'"});
}

}  // namespace

Result<ApiResponse> Mcp(ServerContext& context, const ApiRequest& request) {
  // DNS-rebinding guard (the transport spec requires validating Origin): a browser page may
  // only call us from our own origin or from a loopback one.
  if (auto o = request.headers.find("origin"); o != request.headers.end()) {
    std::string authority = o->second.substr(
        o->second.find("://") == std::string::npos ? 0 : o->second.find("://") + 3);
    std::string host =
        authority.substr(0, authority.rfind(':') == std::string::npos || authority.back() == ']'
                                ? authority.size()
                                : authority.rfind(':'));
    auto h = request.headers.find("host");
    bool same = h != request.headers.end() && h->second == authority;
    bool loopback = host == "localhost" || host == "127.0.0.1" || host == "[::1]";
    if (!same && !loopback) {
      return ApiResponse::FromJson(
          RpcErrorJson(nullptr, {kInvalidRequest, "origin '" + o->second + "' is not allowed"}),
          403);
    }
  }
  // After initialization clients send the negotiated revision in MCP-Protocol-Version.
  if (auto h = request.headers.find("mcp-protocol-version"); h != request.headers.end()) {
    bool known = false;
    for (std::string_view v : kSupportedProtocols) known = known || v == h->second;
    if (!known) {
      return ApiResponse::FromJson(
          RpcErrorJson(nullptr, {kInvalidRequest, "unsupported MCP-Protocol-Version '" + h->second +
                                                      "' (supported: 2025-06-18, "
                                                      "2025-03-26)"}),
          400);
    }
  }
  Json msg = Json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (msg.is_discarded()) {
    return ApiResponse::FromJson(
        RpcErrorJson(nullptr, {kParseError, "parse error: the body is not valid JSON"}), 400);
  }
  if (msg.is_array()) {
    return ApiResponse::FromJson(
        RpcErrorJson(nullptr, {kInvalidRequest,
                               "JSON-RPC batches are not supported (removed in MCP 2025-06-18); "
                               "send one message per request"}),
        400);
  }
  if (!msg.is_object() || msg.value("jsonrpc", Json()) != "2.0") {
    return ApiResponse::FromJson(
        RpcErrorJson(nullptr,
                     {kInvalidRequest,
                      "invalid request: expected a JSON-RPC 2.0 object with \"jsonrpc\": \"2.0\""}),
        400);
  }
  bool has_id = msg.contains("id");
  bool has_method = msg.contains("method");
  if (!has_method) {
    // A response or error from the client (we never send requests): accepted, ignored.
    if (has_id && (msg.contains("result") || msg.contains("error"))) {
      ApiResponse accepted;
      accepted.status = 202;
      return accepted;
    }
    return ApiResponse::FromJson(
        RpcErrorJson(has_id ? msg["id"] : Json(),
                     {kInvalidRequest, "invalid request: missing \"method\""}),
        400);
  }
  if (!msg["method"].is_string()) {
    return ApiResponse::FromJson(
        RpcErrorJson(has_id ? msg["id"] : Json(),
                     {kInvalidRequest, "invalid request: \"method\" must be a string"}),
        400);
  }
  if (!has_id) {
    // A notification (notifications/initialized, notifications/cancelled, ...): 202, no body.
    ApiResponse accepted;
    accepted.status = 202;
    return accepted;
  }
  const Json& id = msg["id"];
  if (!id.is_string() && !id.is_number_integer()) {
    return ApiResponse::FromJson(
        RpcErrorJson(nullptr,
                     {kInvalidRequest, "invalid request: \"id\" must be a string or an integer"}),
        400);
  }
  int http_status = 200;
  Json response = HandleRequest(context, request, msg, id, &http_status);
  return ApiResponse::FromJson(response, http_status);
}

Result<ApiResponse> McpGet(ServerContext&, const ApiRequest&) {
  ApiResponse r = ErrorResponse(Status::NotSupported(
      "this MCP endpoint offers no server-initiated stream; POST JSON-RPC messages to /mcp"));
  r.status = 405;
  return r;
}

}  // namespace kg::server::handlers
