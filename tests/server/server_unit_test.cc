// Table-driven tests of the server's pure pieces: routes, Status -> HTTP, JSON bodies and
// encodings and flags.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "server/code_view.h"
#include "server/connection_tracker.h"
#include "server/entity_rank.h"
#include "server/flags.h"
#include "server/http_status.h"
#include "server/json_codec.h"
#include "server/metrics.h"
#include "server/openapi.h"
#include "server/request_body.h"
#include "server/routes.h"
#include "synth/export.h"
#include "synth/job.h"
#include "synth/strategies.h"

namespace kg::server {
namespace {

namespace fs = std::filesystem;

TEST(RoutesTest, MatchTable) {
  struct Case {
    std::string method, path;
    std::string want_pattern;  // "" = no route
    std::map<std::string, std::string> params;
  };
  const Case cases[] = {
      {"GET", "/healthz", "/healthz", {}},
      {"HEAD", "/healthz", "/healthz", {}},
      {"GET", "/v1/graphs", "/v1/graphs", {}},
      {"GET", "/v1/graphs/shop", "/v1/graphs/{graph}", {{"graph", "shop"}}},
      {"DELETE", "/v1/graphs/shop", "/v1/graphs/{graph}", {{"graph", "shop"}}},
      {"POST", "/v1/graphs/my.repo-1/query", "/v1/graphs/{graph}/query", {{"graph", "my.repo-1"}}},
      {"POST", "/v1/graphs/shop/ingest", "/v1/graphs/{graph}/ingest", {{"graph", "shop"}}},
      {"POST", "/v1/graphs/shop/synth", "/v1/graphs/{graph}/synth", {{"graph", "shop"}}},
      {"GET", "/v1/jobs/job_1", "/v1/jobs/{id}", {{"id", "job_1"}}},
      {"GET", "/v1/jobs/job_1/results", "/v1/jobs/{id}/results", {{"id", "job_1"}}},
      {"GET", "/v1/graphs/shop/search", "/v1/graphs/{graph}/search", {{"graph", "shop"}}},
      {"GET",
       "/v1/graphs/shop/nodes/shop%2Fmodels.py%3AGiftCard",
       "/v1/graphs/{graph}/nodes/{id}",
       {{"graph", "shop"}, {"id", "shop/models.py:GiftCard"}}},
      {"GET",
       "/v1/graphs/shop/nodes/a%2Fb.py:f/tree",
       "/v1/graphs/{graph}/nodes/{id}/tree",
       {{"graph", "shop"}, {"id", "a/b.py:f"}}},
      {"GET", "/v1/graphs/shop/nodes/a/b.py:f", "", {}},  // unencoded '/' in the id
      {"GET", "/metrics", "/metrics", {}},
      {"POST", "/mcp", "/mcp", {}},
      {"GET", "/v1/graphs/shop/query", "", {}},  // wrong method
      {"POST", "/healthz", "", {}},
      {"GET", "/v1/graphs/", "", {}},  // empty segment
      {"GET", "/v1/graphs//query", "", {}},
      {"GET", "/healthz/", "", {}},
      {"GET", "/nope", "", {}},
      {"GET", "", "", {}},
      {"GET", "/", "/", {}},  // the web explorer
      {"GET", "/ui/app.js", "/ui/{file}", {{"file", "app.js"}}},
      {"DELETE", "/v1/jobs/job_1", "/v1/jobs/{id}", {{"id", "job_1"}}},
      {"GET", "/v1/jobs", "/v1/jobs", {}},
      {"POST", "/v1/graphs/shop/check", "/v1/graphs/{graph}/check", {{"graph", "shop"}}},
      {"POST", "/v1/graphs/shop/fsck", "/v1/graphs/{graph}/fsck", {{"graph", "shop"}}},
      {"DELETE", "/v1/graphs/shop/watch", "/v1/graphs/{graph}/watch", {{"graph", "shop"}}},
      {"GET", "/v1/openapi.json", "/v1/openapi.json", {}},
  };
  for (const auto& c : cases) {
    RouteMatch m = MatchRoute(c.method, c.path);
    if (c.want_pattern.empty()) {
      EXPECT_EQ(m.route, nullptr) << c.method << " " << c.path;
      continue;
    }
    ASSERT_NE(m.route, nullptr) << c.method << " " << c.path;
    EXPECT_EQ(m.route->pattern, c.want_pattern);
    EXPECT_EQ(m.params, c.params);
  }
  // A known path with another method names the allowed methods.
  RouteMatch m = MatchRoute("PUT", "/v1/graphs/shop");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed_methods, (std::vector<std::string_view>{"GET", "POST", "DELETE"}));
}

TEST(RoutesTest, TableIsWellFormed) {
  std::set<std::pair<std::string_view, std::string_view>> seen;
  for (const Route& r : Routes()) {
    EXPECT_TRUE(seen.insert({r.method, r.pattern}).second) << "duplicate " << r.pattern;
    EXPECT_NE(r.handler, nullptr);
    EXPECT_FALSE(r.doc.empty());
    EXPECT_EQ(r.pattern.front(), '/');
    // Every non-GET route writes, except the read-only POSTs (query, check, fsck, MCP).
    bool read_only_post = r.pattern.ends_with("/query") || r.pattern.ends_with("/check") ||
                          r.pattern.ends_with("/fsck") || r.pattern == "/mcp";
    EXPECT_EQ(r.writes, r.method != "GET" && !read_only_post) << r.method << " " << r.pattern;
  }
}

TEST(HttpStatusTest, MapsEveryCode) {
  const std::pair<Status, int> cases[] = {
      {Status::InvalidArgument("x"), 400}, {Status::PermissionDenied("x"), 403},
      {Status::NotFound("x"), 404},        {Status::Timeout("x"), 408},
      {Status::AlreadyExists("x"), 409},   {Status::ResourceExhausted("x"), 413},
      {Status::Cancelled("x"), 499},       {Status::NotSupported("x"), 501},
      {Status::Corruption("x"), 500},      {Status::IOError("x"), 500},
      {Status::Internal("x"), 500},
  };
  for (const auto& [status, http] : cases)
    EXPECT_EQ(HttpStatusFor(status), http) << status.ToString();
}

TEST(HttpStatusTest, ErrorJsonShape) {
  Json j = ErrorJson(Status::SyntaxError("expected ')'", TextPosition{3, 14, 40}));
  EXPECT_EQ(j.dump(), R"({"error":{"code":"invalid_argument","message":"expected ')'",)"
                      R"("position":{"line":3,"column":14}}})");
  Json k = ErrorJson(Status::NotFound("graph 'x' does not exist"));
  EXPECT_EQ(k.dump(), R"({"error":{"code":"not_found","message":"graph 'x' does not exist"}})");
  ApiResponse r = ErrorResponse(Status::Timeout("slow"));
  EXPECT_EQ(r.status, 408);
  EXPECT_EQ(r.content_type, "application/json");
}

TEST(RequestBodyTest, MalformedJsonHasPosition) {
  struct Case {
    std::string body;
    int line, column;
  };
  const Case cases[] = {
      {"{x", 1, 2},
      {"{\"a\": 1,\n  \"b\": }", 2, 8},
      {"{\"a\": [1, 2,]}", 1, 13},
      {"{\"a\": 1", 1, 8},  // unexpected end
  };
  for (const auto& c : cases) {
    auto r = ParseJsonObject(c.body);
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_TRUE(r.status().IsInvalidArgument());
    ASSERT_TRUE(r.status().position().has_value()) << c.body;
    EXPECT_EQ(r.status().position()->line, c.line) << c.body << ": " << r.status().ToString();
    EXPECT_EQ(r.status().position()->column, c.column) << c.body << ": " << r.status().ToString();
    EXPECT_EQ(r.status().message().find("[json.exception"), std::string::npos);
    EXPECT_EQ(r.status().message().rfind("invalid JSON in request body: ", 0), 0u);
  }
}

TEST(RequestBodyTest, NestingDeeperThan128LevelsIsRefusedWithItsPosition) {
  // 1 (the object) + 127 arrays = 128 levels: accepted; brackets inside strings do not count.
  std::string ok =
      "{\"a\": " + std::string(127, '[') + std::string(127, ']') + ", \"s\": \"[[[\\\"\"}";
  EXPECT_TRUE(ParseJsonObject(ok).ok()) << ParseJsonObject(ok).status().ToString();
  std::string deep = "{\"a\":\n " + std::string(300000, '[') + std::string(300000, ']') + "}";
  auto r = ParseJsonObject(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsInvalidArgument()) << r.status().ToString();
  EXPECT_NE(r.status().message().find("deeper than 128"), std::string::npos);
  ASSERT_TRUE(r.status().position());
  EXPECT_EQ(r.status().position()->line, 2);
  EXPECT_EQ(r.status().position()->column, 129);  // the 128th '[' of line 2 (after a space)
}

TEST(RequestBodyTest, ObjectsFieldsAndTypes) {
  EXPECT_TRUE(ParseJsonObject("").ok());
  EXPECT_TRUE(ParseJsonObject("  \n").value().empty());
  auto arr = ParseJsonObject("[1]");
  ASSERT_FALSE(arr.ok());
  EXPECT_NE(arr.status().message().find("JSON object"), std::string::npos);

  Json body = Json::parse(R"({"query": "MATCH (n) RETURN n", "limit": "10", "seed": -1,
                               "params": {"x": 1}, "n": 5, "big": 18446744073709551615})");
  EXPECT_EQ(GetString(body, "query").value().value(), "MATCH (n) RETURN n");
  EXPECT_FALSE(GetString(body, "absent").value().has_value());
  auto limit = GetInt(body, "limit");
  ASSERT_FALSE(limit.ok());
  EXPECT_EQ(limit.status().message(), "field 'limit' must be an integer, got string");
  EXPECT_EQ(GetInt(body, "n").value().value(), 5);
  EXPECT_FALSE(GetInt(body, "big").ok());
  EXPECT_EQ(GetUint(body, "big").value().value(), 18446744073709551615ull);
  auto seed = GetUint(body, "seed");
  ASSERT_FALSE(seed.ok());
  EXPECT_NE(seed.status().message().find("'seed'"), std::string::npos);
  auto q = GetObject(body, "query");
  ASSERT_FALSE(q.ok());
  EXPECT_NE(q.status().message().find("must be an object, got string"), std::string::npos);
  EXPECT_NE(GetObject(body, "params").value(), nullptr);

  Status s = CheckFields(body, {"query", "limit"});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("unknown field"), std::string::npos);
  EXPECT_NE(s.message().find("expected one of: query, limit"), std::string::npos);
  EXPECT_TRUE(CheckFields(Json::parse(R"({"query": 1})"), {"query"}).ok());
}

TEST(JsonCodecTest, ValueRoundTrip) {
  Value v(ValueMap{{"_id", "a.py:A"},
                   {"_labels", ValueList{"Class"}},
                   {"n", int64_t{-3}},
                   {"f", 1.5},
                   {"b", true},
                   {"z", Value()},
                   {"l", ValueList{1, "two", ValueList{}}}});
  Json j = ValueToJson(v);
  EXPECT_EQ(j["_id"], "a.py:A");
  EXPECT_EQ(j["n"], -3);
  EXPECT_TRUE(j["z"].is_null());
  auto back = JsonToValue(j, "params");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back.value(), v);
  EXPECT_TRUE(ValueToJson(Value(std::nan(""))).is_null());
  auto too_big = JsonToValue(Json::parse("18446744073709551615"), "params.x");
  ASSERT_FALSE(too_big.ok());
  EXPECT_NE(too_big.status().message().find("params.x"), std::string::npos);
  std::string deep(100, '[');
  deep += std::string(100, ']');
  EXPECT_FALSE(JsonToValue(Json::parse(deep), "params.d").ok());
}

TEST(JsonCodecTest, InvalidUtf8IsReplacedNotThrown) {
  Value v(std::string("bad \xff byte"));
  std::string out = DumpJson(ValueToJson(v));
  EXPECT_NE(out.find("\xEF\xBF\xBD"), std::string::npos) << out;  // U+FFFD
  EXPECT_EQ(out.find("\xff"), std::string::npos);
  EXPECT_FALSE(Json::parse(out, nullptr, false).is_discarded());
}

TEST(JsonCodecTest, QueryResultShape) {
  query::QueryResult r;
  r.columns = {"c.name"};
  r.rows = {{Value("Cart")}, {Value()}};
  r.truncated = true;
  r.limit_hit = "max_rows";
  r.warnings = {"unknown label 'Klass'"};
  Json j = QueryResultToJson(r);
  EXPECT_EQ(j["columns"], Json::parse(R"(["c.name"])"));
  EXPECT_EQ(j["rows"], Json::parse(R"([["Cart"], [null]])"));
  EXPECT_EQ(j["truncated"], true);
  EXPECT_EQ(j["limit_hit"], "max_rows");
  EXPECT_EQ(j["warnings"].size(), 1u);
  EXPECT_TRUE(j["stats"].contains("exec_ms"));
  query::QueryResult empty;
  EXPECT_TRUE(QueryResultToJson(empty)["limit_hit"].is_null());
}

TEST(FlagsTest, ParsesAndRejects) {
  auto f = ParseFlags({"--data",
                       "data/x",
                       "--port=0",
                       "--host",
                       "0.0.0.0",
                       "--threads",
                       "3",
                       "--max-body-bytes",
                       "1024",
                       "--token",
                       "s3cret",
                       "--access-log",
                       "--job-retention",
                       "5",
                       "--block-cache-mb",
                       "16",
                       "--adjacency-index-mb",
                       "0",
                       "--write-buffer-mb",
                       "8"});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->options.data_dir, "data/x");
  EXPECT_EQ(f->options.port, 0);
  EXPECT_EQ(f->options.host, "0.0.0.0");
  EXPECT_EQ(f->options.threads, 3);
  EXPECT_EQ(f->options.max_body_bytes, 1024u);
  EXPECT_EQ(f->options.token, "s3cret");
  EXPECT_TRUE(f->options.access_log);
  EXPECT_EQ(f->options.job_retention, 5);
  EXPECT_EQ(f->options.block_cache_mb, 16);
  EXPECT_EQ(f->options.adjacency_index_mb, 0);
  EXPECT_EQ(f->options.write_buffer_mb, 8);
  auto d = ParseFlags({});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->options.port, 7420);
  EXPECT_EQ(d->options.job_retention, 1000);
  EXPECT_EQ(d->options.write_buffer_mb, 128);
  EXPECT_EQ(d->options.host, "127.0.0.1");
  EXPECT_TRUE(ParseFlags({"--help"})->help);
  const std::vector<std::string> bad[] = {
      {"--port", "70000"},
      {"--port", "x"},
      {"--port"},
      {"--threads", "-1"},
      {"--nope"},
      {"--data="},
      {"extra"},
      {"--block-cache-mb", "0"},
      {"--write-buffer-mb", "0"},
      {"--job-retention", "-1"},
  };
  for (const auto& args : bad) {
    auto r = ParseFlags(args);
    EXPECT_FALSE(r.ok()) << args[0];
    if (!r.ok()) {
      EXPECT_TRUE(r.status().IsInvalidArgument());
    }
  }
}

}  // namespace
}  // namespace kg::server

namespace kg::server {
namespace {

TEST(EntityRankTest, ScoreTiers) {
  struct Case {
    const char* query;
    const char* name;
    const char* qualified;
    const char* doc;
    int want;
  };
  const Case cases[] = {
      {"giftcard", "GiftCard", "shop.models.GiftCard", "", 100},
      {"shop.models.giftcard", "GiftCard", "shop.models.GiftCard", "", 100},
      {"models.GiftCard", "GiftCard", "shop.models.GiftCard", "", 90},
      {"Gift", "GiftCard", "shop.models.GiftCard", "", 80},
      {"gift_card", "GiftCard", "shop.models.GiftCard", "", 60},
      {"card gift", "GiftCard", "shop.models.GiftCard", "", 60},
      {"apply_gift", "_apply_gift_card", "m._apply_gift_card", "", 60},
      {"ftCa", "GiftCard", "shop.models.GiftCard", "", 40},
      {"models", "GiftCard", "shop.models.GiftCard", "", 40},
      {"prepaid", "GiftCard", "shop.models.GiftCard", "A prepaid card", 20},
      {"wallet", "GiftCard", "shop.models.GiftCard", "A prepaid card", 0},
      {"", "GiftCard", "shop.models.GiftCard", "", 0},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(MatchScore(c.query, c.name, c.qualified, c.doc), c.want) << c.query << " " << c.name;
  }
  EXPECT_EQ(SplitIdentifierTokens("parseHTTPRequest_v2"),
            (std::vector<std::string>{"parse", "http", "request", "v2"}));
  EXPECT_EQ(EditDistance("GiftCrad", "giftcard", 2), 2u);
  EXPECT_EQ(EditDistance("kitten", "sitting", 5), 3u);
  EXPECT_EQ(EditDistance("a", "abcdefgh", 2), 3u);  // over the cap: cap + 1
}

TEST(CodeViewTest, NumbersAndFolds) {
  CodeView small = RenderCode("def f():\n    return 1\n", 9, 80);
  EXPECT_EQ(small.text, "   9 | def f():\n  10 |     return 1\n");
  EXPECT_EQ(small.lines, 2u);
  EXPECT_EQ(small.folded, 0u);
  std::string code;
  for (int i = 1; i <= 10; ++i) code += "l" + std::to_string(i) + "\n";
  CodeView folded = RenderCode(code, 1, 4);
  EXPECT_EQ(folded.text,
            "   1 | l1\n   2 | l2\n     ... 6 lines folded ...\n   9 | l9\n  10 | l10\n");
  EXPECT_EQ(folded.folded, 6u);
  EXPECT_EQ(RenderCode("", 1, 4).text, "");
  EXPECT_EQ(RenderCode("x", 99999, 4).text, "99999 | x\n");
}

TEST(MetricsTest, RendersPrometheusText) {
  Metrics m;
  m.RecordRequest("GET", "/healthz", 200, 0.0005);
  m.RecordRequest("GET", "/healthz", 200, 0.3);
  m.RecordQueryLimitHit("max_rows");
  m.RecordJob("synth", "failed");
  std::string t = m.RenderPrometheus();
  auto has = [&t](const std::string& line) { return t.find(line + "\n") != std::string::npos; };
  EXPECT_TRUE(has(R"(codekgd_http_requests_total{method="GET",route="/healthz",status="200"} 2)"))
      << t;
  EXPECT_TRUE(has(R"(codekgd_http_request_duration_seconds_bucket{route="/healthz",le="0.001"} 1)"))
      << t;
  EXPECT_TRUE(has(R"(codekgd_http_request_duration_seconds_bucket{route="/healthz",le="0.25"} 1)"))
      << t;
  EXPECT_TRUE(has(R"(codekgd_http_request_duration_seconds_bucket{route="/healthz",le="0.5"} 2)"))
      << t;
  EXPECT_TRUE(has(R"(codekgd_http_request_duration_seconds_count{route="/healthz"} 2)")) << t;
  EXPECT_TRUE(has(R"(codekgd_query_limit_hits_total{limit="max_rows"} 1)")) << t;
  EXPECT_TRUE(has(R"(codekgd_jobs_total{kind="synth",state="failed"} 1)")) << t;
  EXPECT_TRUE(has("# TYPE codekgd_http_request_duration_seconds histogram")) << t;
}

}  // namespace
}  // namespace kg::server

namespace kg::server {
namespace {

// The synth request schema lists what ParseSynthSpec accepts: every strategy and format, every
// field of a full spec, the teacher's fields; and it closes the object as the parser does.
TEST(OpenApiTest, SynthSchemaMatchesTheSpecParser) {
  Json doc = Json::parse(kOpenApiJson, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(doc.is_discarded());
  const Json& schema = doc["paths"]["/v1/graphs/{graph}/synth"]["post"]["requestBody"]["content"]
                          ["application/json"]["schema"];
  ASSERT_TRUE(schema.is_object());
  EXPECT_EQ(schema["additionalProperties"], false);
  const Json& props = schema["properties"];
  std::set<std::string> strategies, formats;
  for (const auto& s : synth::Strategies()) strategies.insert(std::string(s.name));
  for (auto f : synth::ExportFormats()) formats.insert(std::string(f));
  EXPECT_EQ(props["strategy"]["enum"].get<std::set<std::string>>(), strategies);
  EXPECT_EQ(props["format"]["enum"].get<std::set<std::string>>(), formats);
  synth::SynthSpec spec;
  spec.teacher.url = "http://127.0.0.1:1/v1";
  Json full = synth::SynthSpecToJson(spec);
  ASSERT_TRUE(synth::ParseSynthSpec(full).ok());
  for (const auto& [key, value] : full.items()) {
    EXPECT_TRUE(props.contains(key)) << "synth field missing from openapi.json: " << key;
  }
  for (const auto& [key, value] : full["teacher"].items()) {
    EXPECT_TRUE(props["teacher"]["properties"].contains(key)) << "teacher." << key;
  }
  for (const auto& [key, value] : props.items()) {
    if (key == "strategy" || key == "max_pairs") continue;  // alternatives to mix and count
    EXPECT_TRUE(full.contains(key)) << "openapi.json documents an unknown synth field: " << key;
  }
  EXPECT_EQ(props["chunk_bytes"]["minimum"], 256);
  EXPECT_FALSE(synth::ParseSynthSpec(Json{{"chunk_bytes", 255}}).ok());
  EXPECT_TRUE(synth::ParseSynthSpec(Json{{"chunk_bytes", 256}}).ok());
}

// Every route of the routes table is in the OpenAPI document and vice versa, and the document
// is valid JSON with the basics an OpenAPI 3 reader needs.
TEST(OpenApiTest, DocumentMatchesTheRoutesTable) {
  Json doc = Json::parse(kOpenApiJson, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(doc.is_discarded()) << "server/openapi.json is not valid JSON";
  ASSERT_TRUE(doc.contains("openapi") && doc["openapi"].get<std::string>().rfind("3.", 0) == 0);
  ASSERT_TRUE(doc.contains("paths") && doc["paths"].is_object());
  std::set<std::pair<std::string, std::string>> routes, documented;
  for (const Route& r : Routes()) {
    std::string method(r.method);
    for (char& c : method) c = static_cast<char>(std::tolower(c));
    routes.emplace(method, std::string(r.pattern));
  }
  const std::set<std::string> kMethods = {"get",    "post", "put",    "patch",
                                          "delete", "head", "options"};
  for (auto it = doc["paths"].begin(); it != doc["paths"].end(); ++it) {
    for (auto op = it.value().begin(); op != it.value().end(); ++op) {
      if (kMethods.count(op.key()) == 0) continue;
      documented.emplace(op.key(), it.key());
      EXPECT_TRUE(op.value().contains("responses")) << op.key() << " " << it.key();
      // Writes declare the bearer security scheme.
      const Route* route = MatchRoute(op.key() == "get"    ? "GET"
                                      : op.key() == "post" ? "POST"
                                                           : "DELETE",
                                      it.key())
                               .route;
      if (route != nullptr && route->writes) {
        EXPECT_TRUE(op.value().contains("security")) << op.key() << " " << it.key();
      }
    }
  }
  for (const auto& r : routes) {
    EXPECT_EQ(documented.count(r), 1u)
        << "route missing from openapi.json: " << r.first << " " << r.second;
  }
  for (const auto& d : documented) {
    EXPECT_EQ(routes.count(d), 1u)
        << "openapi.json documents a route that does not exist: " << d.first << " " << d.second;
  }
}

}  // namespace
}  // namespace kg::server

namespace kg::server {
namespace {

TEST(SettingsTest, ConfigTextKeyValueAndJson) {
  auto kv = ParseConfigText(
      "# codekgd.conf\n\nport = 8000\n  data=/srv/kg \nallow-root = /src/a\nallow-root=/src/b\n"
      "token = \"t0k\"\n");
  ASSERT_TRUE(kv.ok()) << kv.status().ToString();
  ASSERT_EQ(kv->size(), 5u);
  EXPECT_EQ((*kv)[0], (Setting{"port", "8000"}));
  EXPECT_EQ((*kv)[1], (Setting{"data", "/srv/kg"}));
  EXPECT_EQ((*kv)[4], (Setting{"token", "t0k"}));
  auto js = ParseConfigText(
      R"({"port": 8001, "access-log": true, "allow-root": ["/a", "/b"], "host": "0.0.0.0"})");
  ASSERT_TRUE(js.ok()) << js.status().ToString();
  ASSERT_EQ(js->size(), 5u);
  EXPECT_EQ((*js)[0], (Setting{"port", "8001"}));
  EXPECT_EQ((*js)[1], (Setting{"access-log", "true"}));
  EXPECT_EQ((*js)[3], (Setting{"allow-root", "/b"}));
  const char* bad[] = {"port 8000",       "nope = 1",  "{\"nope\": 1}", "{\"port\": [1, 2]}",
                       "{\"port\": 1.5}", "{not json", "[1, 2]"};
  for (const char* text : bad) {
    auto r = ParseConfigText(text);
    EXPECT_FALSE(r.ok()) << text;
    if (!r.ok()) {
      EXPECT_TRUE(r.status().IsInvalidArgument()) << text;
    }
  }
  // The line number is in the message.
  auto line = ParseConfigText("port = 1\n\nbogus\n");
  ASSERT_FALSE(line.ok());
  EXPECT_NE(line.status().message().find("line 3"), std::string::npos) << line.status().message();
}

TEST(SettingsTest, PrecedenceFlagsOverEnvOverFileOverDefaults) {
  std::string tmpl = (fs::temp_directory_path() / "codekg_conf_XXXXXX").string();
  ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
  std::string conf = tmpl + "/codekgd.conf";
  std::ofstream(conf) << "port = 1111\nthreads = 3\ntoken = from-file\nallow-root = /f1\n"
                         "allow-root = /f2\nquery-timeout-ms = 1234\n";
  std::map<std::string, std::string> env = {{"CODEKG_PORT", "2222"},
                                            {"CODEKG_TOKEN", "from-env"},
                                            {"CODEKG_ACCESS_LOG", "true"},
                                            {"CODEKG_UNRELATED", "x"}};
  auto s = LoadSettings({"--config", conf, "--port", "3333"}, env);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->options.port, 3333);         // flag
  EXPECT_EQ(s->options.token, "from-env");  // env over file
  EXPECT_TRUE(s->options.access_log);       // env
  EXPECT_EQ(s->options.threads, 3);         // file
  EXPECT_EQ(s->options.default_query_timeout_ms, 1234);
  EXPECT_EQ(s->options.allowed_roots, (std::vector<std::string>{"/f1", "/f2"}));
  EXPECT_EQ(s->options.host, "127.0.0.1");  // default
  EXPECT_EQ(s->config_file, conf);
  // A higher source replaces a repeatable setting's whole list; env splits on ':'.
  env["CODEKG_ALLOW_ROOT"] = "/e1:/e2";
  s = LoadSettings({"--config=" + conf}, env);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->options.allowed_roots, (std::vector<std::string>{"/e1", "/e2"}));
  s = LoadSettings({"--config=" + conf, "--allow-root", "/x"}, env);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->options.allowed_roots, (std::vector<std::string>{"/x"}));
  // CODEKG_CONFIG names the file when --config is absent.
  env["CODEKG_CONFIG"] = conf;
  s = LoadSettings({}, env);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->options.threads, 3);
  // Errors name their source.
  auto bad_env = LoadSettings({}, {{"CODEKG_PORT", "http"}});
  ASSERT_FALSE(bad_env.ok());
  EXPECT_NE(bad_env.status().message().find("CODEKG_PORT"), std::string::npos);
  auto missing = LoadSettings({"--config", tmpl + "/absent.conf"}, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.status().IsNotFound());
  std::ofstream(conf) << "port = 99999\n";
  auto bad_file = LoadSettings({"--config", conf}, {});
  ASSERT_FALSE(bad_file.ok());
  EXPECT_NE(bad_file.status().message().find(conf), std::string::npos);
  // New limits parse as flags too.
  auto f = ParseFlags({"--max-query-rows", "50", "--read-timeout-s", "2", "--auth-reads",
                       "--job-workers=3", "--allow-root", "/a", "--allow-root", "/b"});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->options.max_query_rows, 50);
  EXPECT_EQ(f->options.read_timeout_s, 2);
  EXPECT_TRUE(f->options.auth_reads);
  EXPECT_EQ(f->options.job_workers, 3);
  EXPECT_EQ(f->options.allowed_roots.size(), 2u);
  EXPECT_FALSE(ParseFlags({"--job-workers", "0"}).ok());
  EXPECT_FALSE(ParseFlags({"--auth-reads=maybe"}).ok());
  fs::remove_all(tmpl);
}

// A real loopback connection: the tracker finds the accepted socket, leaves it alone while a
// request is in flight or while it is younger than max_idle, and shuts it down otherwise.
TEST(ConnectionTrackerTest, ClosesIdleConnectionsOnlyWhenNotInARequest) {
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(listen(listener, 4), 0);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  int port = ntohs(addr.sin_port);
  int client = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_EQ(connect(client, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  sockaddr_in peer{};
  len = sizeof(peer);
  int accepted = accept(listener, reinterpret_cast<sockaddr*>(&peer), &len);
  ASSERT_GE(accepted, 0);
  std::string name = ConnectionTracker::PeerName("127.0.0.1", ntohs(peer.sin_port));

  ConnectionTracker tracker;
  EXPECT_EQ(tracker.CloseIdle(), 0u);  // no port yet: nothing is touched
  tracker.SetPort(port);
  EXPECT_EQ(tracker.Reap(std::chrono::hours(1)), 0u);  // young
  {
    ConnectionTracker::Scope busy(tracker, name);
    EXPECT_EQ(tracker.CloseIdle(), 0u);  // inside a request
  }
  EXPECT_EQ(tracker.Reap(std::chrono::hours(1)), 0u);  // just finished a request
  EXPECT_EQ(tracker.CloseIdle(), 1u);
  // The client sees the end of the stream.
  pollfd p{client, POLLIN, 0};
  ASSERT_EQ(poll(&p, 1, 2000), 1);
  char buf[8];
  EXPECT_EQ(recv(client, buf, sizeof(buf), 0), 0);
  EXPECT_EQ(tracker.CloseIdle(), 0u);  // already shut down: not counted twice
  close(accepted);
  close(client);
  close(listener);
}

}  // namespace
}  // namespace kg::server
