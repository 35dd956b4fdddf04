// The MCP endpoint and /metrics of the real codekgd over loopback. The MCP client below is
// written from the spec (modelcontextprotocol.io, revisions 2025-03-26 and 2025-06-18:
// lifecycle, streamable HTTP transport, tools), not from the server's code.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "ingest/ts_heap.h"
#include "tests/server/codekgd_fixture.h"

namespace kg::server {
namespace {

using kg::server::testing::CodekgdTest;
using kg::server::testing::Json;
using kg::server::testing::kSample;
using kg::server::testing::Reply;

// A minimal MCP client: one JSON-RPC message per POST, Accept both JSON and SSE as the transport
// requires, and the negotiated protocol version in MCP-Protocol-Version after initialize.
class McpClient {
 public:
  explicit McpClient(httplib::Client* http) : http_(http) {}

  struct Message {
    int http_status = 0;
    std::string content_type;
    std::string body;
    Json json;  // the JSON-RPC response (a text/event-stream reply is unwrapped from data:)
  };

  Message Send(const Json& message) { return SendRaw(message.dump()); }

  Message SendRaw(const std::string& body) {
    httplib::Headers headers = {{"Accept", "application/json, text/event-stream"}};
    if (!protocol_.empty()) headers.emplace("MCP-Protocol-Version", protocol_);
    if (!token_.empty()) headers.emplace("Authorization", "Bearer " + token_);
    Message m;
    auto r = http_->Post("/mcp", headers, body, "application/json");
    if (!r) return m;
    m.http_status = r->status;
    m.content_type = r->get_header_value("Content-Type");
    m.body = r->body;
    std::string payload = r->body;
    if (m.content_type.rfind("text/event-stream", 0) == 0) {
      std::istringstream lines(r->body);
      std::string line;
      payload.clear();
      while (std::getline(lines, line)) {
        if (line.rfind("data:", 0) == 0) payload += line.substr(5);
      }
    }
    m.json = Json::parse(payload, nullptr, false);
    return m;
  }

  Message Request(const std::string& method, Json params = Json::object()) {
    return Send(
        Json{{"jsonrpc", "2.0"}, {"id", ++next_id_}, {"method", method}, {"params", params}});
  }

  // initialize -> notifications/initialized. Returns the initialize result.
  Json Initialize(const std::string& version) {
    Message init =
        Request("initialize", {{"protocolVersion", version},
                               {"capabilities", Json::object()},
                               {"clientInfo", {{"name", "spec-test"}, {"version", "1"}}}});
    EXPECT_EQ(init.http_status, 200) << init.body;
    EXPECT_EQ(init.json["jsonrpc"], "2.0");
    EXPECT_EQ(init.json["id"], next_id_);
    protocol_ = init.json["result"].value("protocolVersion", "");
    Message ack = Send(Json{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}});
    EXPECT_EQ(ack.http_status, 202) << ack.body;
    EXPECT_TRUE(ack.body.empty()) << ack.body;
    return init.json["result"];
  }

  // tools/call; returns the result's first text content and sets *is_error.
  std::string Call(const std::string& tool, const Json& args, bool* is_error) {
    Message m = Request("tools/call", {{"name", tool}, {"arguments", args}});
    EXPECT_EQ(m.http_status, 200) << m.body;
    const Json& result = m.json["result"];
    EXPECT_TRUE(result.is_object()) << m.body;
    if (!result.is_object()) return "";
    *is_error = result.value("isError", false);
    const Json& content = result["content"];
    EXPECT_TRUE(content.is_array() && !content.empty()) << m.body;
    if (!content.is_array() || content.empty()) return "";
    EXPECT_EQ(content[0]["type"], "text");
    return content[0].value("text", "");
  }

  int next_id() const { return next_id_; }
  void set_token(std::string token) { token_ = std::move(token); }

 private:
  httplib::Client* http_;
  std::string token_;
  std::string protocol_;
  int next_id_ = 0;
};

TEST_F(CodekgdTest, McpLifecycleToolsAndErrors) {
  StartServer();
  ASSERT_EQ(Ingest("shop", kSample).status, 200);
  McpClient mcp(client_.get());

  Json init = mcp.Initialize("2025-06-18");
  EXPECT_EQ(init["protocolVersion"], "2025-06-18");
  EXPECT_TRUE(init["capabilities"].contains("tools")) << init;
  EXPECT_EQ(init["serverInfo"]["name"], "codekgd");
  EXPECT_TRUE(init["serverInfo"]["version"].is_string());

  // tools/list: the tools, each with a JSON object input schema and annotations.
  auto list = mcp.Request("tools/list");
  ASSERT_EQ(list.http_status, 200) << list.body;
  std::set<std::string> names;
  for (const auto& t : list.json["result"]["tools"]) {
    names.insert(t["name"].get<std::string>());
    EXPECT_EQ(t["inputSchema"]["type"], "object") << t;
    EXPECT_TRUE(t["inputSchema"]["properties"].contains("graph")) << t;
    EXPECT_TRUE(t["description"].is_string());
    EXPECT_EQ(t["annotations"]["readOnlyHint"], t["name"] != "ingest") << t;
  }
  EXPECT_EQ(names, (std::set<std::string>{"query", "search", "get_node", "traverse", "check_api",
                                          "fsck", "ingest"}));

  bool is_error = true;
  std::string text = mcp.Call("search", {{"graph", "shop"}, {"q", "GiftCard"}}, &is_error);
  EXPECT_FALSE(is_error) << text;
  Json search = Json::parse(text, nullptr, false);
  ASSERT_FALSE(search.is_discarded()) << text;
  EXPECT_EQ(search["results"][0]["id"], "shop/models.py:GiftCard");

  text = mcp.Call("get_node", {{"graph", "shop"}, {"id", "shop/models.py:GiftCard.redeem"}},
                  &is_error);
  EXPECT_FALSE(is_error) << text;
  EXPECT_NE(text.find("  96 |     def redeem(self, amount: Money) -> Money:"), std::string::npos)
      << text;

  text = mcp.Call("traverse",
                  {{"graph", "shop"},
                   {"id", "shop/models.py:GiftCard"},
                   {"depth", 1},
                   {"types", {"HAS_METHOD"}}},
                  &is_error);
  EXPECT_FALSE(is_error) << text;
  EXPECT_EQ(text.rfind("shop/models.py:GiftCard (Class)\n", 0), 0u) << text;
  EXPECT_NE(text.find("-[HAS_METHOD]-> shop/models.py:GiftCard.redeem (Method)"), std::string::npos)
      << text;

  text = mcp.Call(
      "query",
      {{"graph", "shop"},
       {"query", "MATCH (c:Class)-[:INHERITS]->(b:Class {name: $b}) RETURN c.name ORDER BY c.name"},
       {"params", {{"b", "Product"}}}},
      &is_error);
  EXPECT_FALSE(is_error) << text;
  Json q = Json::parse(text, nullptr, false);
  ASSERT_FALSE(q.is_discarded()) << text;
  EXPECT_EQ(q["rows"], Json::parse(R"([["DigitalProduct"], ["PhysicalProduct"]])")) << text;

  // Tool execution errors are results with isError, not protocol errors.
  text = mcp.Call("query", {{"graph", "shop"}, {"query", "MATCH (c RETURN c"}}, &is_error);
  EXPECT_TRUE(is_error);
  EXPECT_NE(text.find("invalid_argument"), std::string::npos) << text;
  text = mcp.Call("get_node", {{"graph", "nope"}, {"id", "x"}}, &is_error);
  EXPECT_TRUE(is_error);
  EXPECT_NE(text.find("not_found"), std::string::npos) << text;

  // Protocol errors.
  auto bad_json = mcp.SendRaw("{\"jsonrpc\": \"2.0\", \"id\": 1, ");
  EXPECT_EQ(bad_json.json["error"]["code"], -32700) << bad_json.body;
  EXPECT_TRUE(bad_json.json["id"].is_null());
  auto unknown = mcp.Request("resources/list");
  EXPECT_EQ(unknown.json["error"]["code"], -32601) << unknown.body;
  EXPECT_EQ(unknown.json["id"], mcp.next_id());
  auto no_tool = mcp.Request("tools/call", {{"name", "rm_rf"}, {"arguments", Json::object()}});
  EXPECT_EQ(no_tool.json["error"]["code"], -32602) << no_tool.body;
  auto missing =
      mcp.Request("tools/call", {{"name", "search"}, {"arguments", {{"graph", "shop"}}}});
  EXPECT_EQ(missing.json["error"]["code"], -32602) << missing.body;
  EXPECT_NE(missing.json["error"]["message"].get<std::string>().find("'q'"), std::string::npos);
  auto wrong_type = mcp.Request(
      "tools/call",
      {{"name", "traverse"}, {"arguments", {{"graph", "shop"}, {"id", "x"}, {"depth", "2"}}}});
  EXPECT_EQ(wrong_type.json["error"]["code"], -32602) << wrong_type.body;
  auto not_rpc = mcp.Send(Json{{"id", 5}, {"method", "ping"}});
  EXPECT_EQ(not_rpc.json["error"]["code"], -32600) << not_rpc.body;
  auto ping = mcp.Request("ping");
  EXPECT_EQ(ping.json["result"], Json::object()) << ping.body;

  // An older revision is accepted and echoed; an unknown one gets the latest.
  McpClient old_client(client_.get());
  EXPECT_EQ(old_client.Initialize("2025-03-26")["protocolVersion"], "2025-03-26");
  McpClient future(client_.get());
  EXPECT_EQ(future.Initialize("2099-01-01")["protocolVersion"], "2025-06-18");

  // Origin validation: a foreign web page is refused, a loopback one accepted.
  const std::string ping_body = R"({"jsonrpc": "2.0", "id": 1, "method": "ping"})";
  auto evil =
      client_->Post("/mcp", {{"Origin", "http://evil.example"}}, ping_body, "application/json");
  ASSERT_TRUE(evil);
  EXPECT_EQ(evil->status, 403) << evil->body;
  auto local =
      client_->Post("/mcp", {{"Origin", "http://localhost:3000"}}, ping_body, "application/json");
  ASSERT_TRUE(local);
  EXPECT_EQ(local->status, 200) << local->body;
  auto bad_version = client_->Post("/mcp", {{"MCP-Protocol-Version", "1999-01-01"}}, ping_body,
                                   "application/json");
  ASSERT_TRUE(bad_version);
  EXPECT_EQ(bad_version->status, 400) << bad_version->body;

  // No server-initiated stream: GET is 405.
  EXPECT_EQ(Get("/mcp").status, 405);
}

// Reads one sample value of /metrics, e.g. Sample(text, "codekgd_jobs_total{kind=\"ingest\",...}").
double Sample(const std::string& text, const std::string& series) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  }
  return -1;
}

TEST_F(CodekgdTest, MetricsReportMemoryByPart) {
  StartServer({"--write-buffer-mb", "4", "--block-cache-mb", "8"});
  Reply before = Get("/metrics");
  ASSERT_EQ(before.status, 200);
  const double memtables_before = Sample(before.body, R"(codekgd_memory_bytes{part="memtables"})");
  ASSERT_EQ(Ingest("shop", kSample).status, 200);
  ASSERT_EQ(Query("shop", "MATCH (c:Class)-[:HAS_METHOD]->(m) RETURN count(m)").status, 200);
  const std::string t = Get("/metrics").body;
  EXPECT_NE(t.find("# TYPE codekgd_memory_bytes gauge"), std::string::npos) << t;
  // The process's resident memory: a running server holds at least a few MiB.
  EXPECT_GT(Sample(t, R"(codekgd_memory_bytes{part="rss"})"), 4 << 20) << t;
  // The ingest's writes sit in the memtables (the sample is far below the 4 MiB budget).
  EXPECT_GT(Sample(t, R"(codekgd_memory_bytes{part="memtables"})"), memtables_before) << t;
  EXPECT_LE(Sample(t, R"(codekgd_memory_bytes{part="memtables"})"), 4 << 20) << t;
  EXPECT_LE(Sample(t, R"(codekgd_memory_bytes{part="block_cache"})"), 8 << 20) << t;
  for (const char* part :
       {"block_cache", "block_cache_pinned", "table_readers", "adjacency_index"}) {
    EXPECT_GE(Sample(t, std::string("codekgd_memory_bytes{part=\"") + part + "\"}"), 0)
        << part << "\n"
        << t;
  }
  // The ingest parsed with tree-sitter, whose heap takes 2 MiB regions. The heap is on in the
  // server exactly when it is in this test (the same build, and the environment the server
  // inherits: off in sanitizer builds and with CODEKG_TS_HEAP=0).
  const double parser_heap = Sample(t, R"(codekgd_memory_bytes{part="parser_heap"})");
  if (!ingest::GetTsHeapStats().installed) {
    EXPECT_EQ(parser_heap, 0) << t;
  } else {
    EXPECT_GE(parser_heap, 2 << 20) << t;
  }
}

TEST_F(CodekgdTest, MetricsCountRequestsLatencyLimitHitsAndJobs) {
  StartServer({"--access-log"});
  ASSERT_EQ(Ingest("shop", kSample).status, 200);
  ASSERT_EQ(Get("/healthz").status, 200);
  ASSERT_EQ(Get("/healthz").status, 200);
  ASSERT_EQ(Get("/v1/graphs/nope").status, 404);
  Reply limited = Query("shop", "MATCH (c:Class) RETURN c.name", Json{{"limit", 1}});
  ASSERT_EQ(limited.status, 200);
  ASSERT_EQ(limited.json["limit_hit"], "max_rows");
  ASSERT_EQ(Get("/no/such/route").status, 404);

  Reply m = Get("/metrics");
  ASSERT_EQ(m.status, 200);
  EXPECT_EQ(m.content_type.rfind("text/plain; version=0.0.4", 0), 0u) << m.content_type;
  const std::string& t = m.body;
  EXPECT_EQ(Sample(t, R"(codekgd_http_requests_total{method="GET",route="/healthz",status="200"})"),
            2)
      << t;
  EXPECT_EQ(
      Sample(
          t,
          R"(codekgd_http_requests_total{method="GET",route="/v1/graphs/{graph}",status="404"})"),
      1)
      << t;
  EXPECT_EQ(
      Sample(t, R"(codekgd_http_requests_total{method="GET",route="unmatched",status="404"})"), 1)
      << t;
  EXPECT_EQ(Sample(t, R"(codekgd_http_request_duration_seconds_count{route="/healthz"})"), 2) << t;
  EXPECT_EQ(
      Sample(t, R"(codekgd_http_request_duration_seconds_bucket{route="/healthz",le="+Inf"})"), 2)
      << t;
  EXPECT_EQ(Sample(t, R"(codekgd_query_limit_hits_total{limit="max_rows"})"), 1) << t;
  EXPECT_EQ(Sample(t, R"(codekgd_jobs_total{kind="ingest",state="succeeded"})"), 1) << t;
  EXPECT_NE(t.find("# TYPE codekgd_http_request_duration_seconds histogram"), std::string::npos);
  // Histogram buckets are cumulative: never decreasing for one route.
  std::regex bucket(
      R"re(codekgd_http_request_duration_seconds_bucket\{route="/v1/graphs/\{graph\}/ingest",le="[^"]+"\} (\d+))re");
  double last = -1;
  int buckets = 0;
  for (auto it = std::sregex_iterator(t.begin(), t.end(), bucket); it != std::sregex_iterator();
       ++it) {
    double v = std::stod((*it)[1]);
    EXPECT_GE(v, last);
    last = v;
    ++buckets;
  }
  EXPECT_EQ(buckets, 12) << t;
  EXPECT_EQ(last, 1);

  // --access-log: one JSON object per request on stderr.
  std::ifstream log(dir_.path() + "/stderr.log");
  std::string line;
  int lines = 0;
  bool saw_404 = false;
  while (std::getline(log, line)) {
    Json j = Json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.contains("route")) continue;
    ++lines;
    EXPECT_TRUE(j["ts_ms"].is_number_integer() && j["ms"].is_number() && j["bytes"].is_number())
        << line;
    if (j["path"] == "/v1/graphs/nope") {
      saw_404 = true;
      EXPECT_EQ(j["status"], 404) << line;
      EXPECT_EQ(j["method"], "GET");
      EXPECT_EQ(j["route"], "/v1/graphs/{graph}");
      EXPECT_EQ(j["remote"], "127.0.0.1");
    }
  }
  EXPECT_GE(lines, 6);
  EXPECT_TRUE(saw_404);
}

// The ingest tool writes: with a token configured it needs the header (403 otherwise); reads
// stay open.
TEST_F(CodekgdTest, McpToolsThatWriteNeedTheToken) {
  StartServer({"--token", "s3cret"});
  McpClient mcp(client_.get());
  mcp.Initialize("2025-06-18");
  auto denied = mcp.Request(
      "tools/call", {{"name", "ingest"}, {"arguments", {{"graph", "shop"}, {"path", kSample}}}});
  EXPECT_EQ(denied.http_status, 403) << denied.body;
  EXPECT_NE(denied.json["error"]["message"].get<std::string>().find("Authorization"),
            std::string::npos)
      << denied.body;
  ExpectError(Get("/v1/graphs/shop"), 404, "not_found");  // nothing was ingested
  mcp.set_token("s3cret");
  bool is_error = true;
  std::string text = mcp.Call("ingest", {{"graph", "shop"}, {"path", kSample}}, &is_error);
  EXPECT_FALSE(is_error) << text;
  Json report = Json::parse(text, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << text;
  EXPECT_EQ(report["report"]["files_parsed"], 10) << text;
  mcp.set_token("");
  text = mcp.Call("search", {{"graph", "shop"}, {"q", "GiftCard"}}, &is_error);
  EXPECT_FALSE(is_error) << text;
}

}  // namespace
}  // namespace kg::server
