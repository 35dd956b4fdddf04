// Hostile input against the real codekgd over real HTTP: the token on every route of the routes
// table, malformed JSON and wrong types on every JSON route, oversized headers/URIs/bodies, path
// traversal in ingest paths and ids, slowloris clients, and pathological queries. Each must get a
// bounded 4xx (or a result with `limit_hit`), and the server must stay healthy afterwards.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/reliability/raw_http.h"
#include "tests/server/codekgd_fixture.h"

namespace kg::reliability {
namespace {

using server::testing::CodekgdTest;
using server::testing::Json;
using server::testing::kSample;
using server::testing::Reply;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

// The route pattern with every {param} filled in.
std::string Fill(std::string_view pattern) {
  std::string out;
  size_t i = 0;
  while (i < pattern.size()) {
    if (pattern[i] == '{') {
      size_t end = pattern.find('}', i);
      std::string_view name = pattern.substr(i + 1, end - i - 1);
      out += name == "graph" ? "g" : name == "file" ? "app.js" : "x";
      i = end + 1;
    } else {
      out.push_back(pattern[i++]);
    }
  }
  return out;
}

// One row of the server's routes table (server/routes.cc), as GET /v1 serves it.
struct Route {
  std::string method;
  std::string pattern;
  bool writes = false;
};

class HostileTest : public CodekgdTest {
 protected:
  // The routes table of the running server.
  std::vector<Route> Routes(const httplib::Headers& headers = {}) {
    std::vector<Route> out;
    auto r = client_->Get("/v1", headers);
    EXPECT_TRUE(r && r->status == 200);
    if (!r || r->status != 200) return out;
    Json table = Json::parse(r->body);
    for (const Json& row : table["routes"]) {
      out.push_back({row["method"].get<std::string>(), row["path"].get<std::string>(),
                     row["writes"].get<bool>()});
    }
    EXPECT_GE(out.size(), 20u);
    return out;
  }
  Reply Send(std::string_view method, const std::string& path, const std::string& body,
             const httplib::Headers& headers = {}) {
    if (method == "GET") return ToReply(client_->Get(path, headers));
    if (method == "DELETE") {
      return ToReply(client_->Delete(path, headers, body, "application/json"));
    }
    return ToReply(client_->Post(path, headers, body, "application/json"));
  }
  // The server answers and its data is readable.
  void ExpectHealthy() {
    Reply h = Get("/healthz");
    EXPECT_EQ(h.status, 200) << h.body;
    EXPECT_EQ(Get("/v1/graphs").status, 200);
  }
  static bool IsJsonError(const Reply& r) {
    return r.json.is_object() && r.json.contains("error") && r.json["error"].contains("code") &&
           r.json["error"].contains("message");
  }
};

// Every route that writes refuses a missing or wrong token with 403 (and changes nothing); with
// the token, no route says 403. Read routes are open unless --auth-reads.
TEST_F(HostileTest, TokenIsRequiredOnEveryWriteRouteOfTheTable) {
  StartServer({"--token", "s3cret"});
  const httplib::Headers good = {{"Authorization", "Bearer s3cret"}};
  const std::vector<httplib::Headers> bad = {{},
                                             {{"Authorization", "Bearer wrong"}},
                                             {{"Authorization", "Bearer S3CRET"}},
                                             {{"Authorization", "Bearer s3cret2"}},
                                             {{"Authorization", "Basic s3cret"}},
                                             {{"Authorization", "s3cret"}},
                                             {{"Authorization", "Bearer "}}};
  const std::vector<Route> routes = Routes();
  int write_routes = 0;
  for (const Route& route : routes) {
    std::string path = Fill(route.pattern);
    SCOPED_TRACE(route.method + " " + path);
    for (const auto& headers : bad) {
      Reply r = Send(route.method, path, "{}", headers);
      if (route.writes) {
        ExpectError(r, 403, "permission_denied");
      } else {
        EXPECT_NE(r.status, 403) << r.body;
        EXPECT_NE(r.status, 0);
      }
    }
    if (route.writes) ++write_routes;
  }
  EXPECT_GE(write_routes, 6);
  // Nothing was written by the refused requests.
  Reply graphs = Get("/v1/graphs");
  ASSERT_EQ(graphs.status, 200);
  EXPECT_TRUE(graphs.json["graphs"].empty()) << graphs.body;
  // The MCP tool that writes (ingest) needs the token too.
  Json call = {
      {"jsonrpc", "2.0"},
      {"id", 1},
      {"method", "tools/call"},
      {"params", {{"name", "ingest"}, {"arguments", {{"graph", "g"}, {"path", kSample}}}}}};
  EXPECT_EQ(PostJson("/mcp", call).status, 403);
  // With the token, no route is refused.
  for (const Route& route : routes) {
    std::string path = Fill(route.pattern);
    SCOPED_TRACE(route.method + " " + path);
    Reply r = Send(route.method, path, "{}", good);
    EXPECT_NE(r.status, 403) << r.body;
    EXPECT_GT(r.status, 0);
    EXPECT_LT(r.status, 500) << r.body;
  }
  ExpectHealthy();
}

TEST_F(HostileTest, AuthReadsGuardsEveryRouteButTheOpenOnes) {
  StartServer({"--token", "s3cret", "--auth-reads"});
  const std::set<std::string> open = {"/healthz", "/metrics", "/", "/ui/{file}"};
  const httplib::Headers good = {{"Authorization", "Bearer s3cret"}};
  const std::vector<Route> routes = Routes(good);
  for (const Route& route : routes) {
    std::string path = Fill(route.pattern);
    SCOPED_TRACE(route.method + " " + path);
    Reply no = Send(route.method, path, "{}");
    if (open.count(route.pattern)) {
      EXPECT_NE(no.status, 403) << no.body;
    } else {
      ExpectError(no, 403, "permission_denied");
    }
    Reply yes = Send(route.method, path, "{}", good);
    EXPECT_NE(yes.status, 403) << yes.body;
    EXPECT_LT(yes.status, 500) << yes.body;
  }
  ExpectError(Get("/v2/unknown"), 404, "not_found");
}

// Every POST route gets malformed JSON, non-object JSON, absurd nesting and wrong field types:
// always a 4xx JSON error (MCP: a JSON-RPC error), never a 5xx or a dropped connection.
TEST_F(HostileTest, MalformedJsonAndWrongTypesOnEveryJsonRoute) {
  StartServer();
  ASSERT_EQ(Ingest("g", kSample).status, 200);
  std::vector<std::string> bodies = {
      "{", "}", "[1, 2]", "\"text\"", "42", "nul", "{\"a\": 1,}", "{\"a\" 1}", "\xff\xfe{}",
      "{\"query\": \"\xc3\x28\"}", "{\"a\": 1e999999}", "{\"a\": -}", std::string(100000, '['),
      std::string(50000, '[') + std::string(50000, ']'),
      "{\"params\": " + std::string(20000, '[') + std::string(20000, ']') + "}",
      // Crashed codekgd on the synth route (recursive re-serialization) before bodies were
      // limited to 128 levels.
      "{\"params\": " + std::string(300000, '[') + std::string(300000, ']') + "}",
      std::string("{\"query\": \"a\0b\"}", 17)};
  const std::vector<std::string> fields = {
      "query",       "params",     "limit",    "timeout_ms", "path",   "watch",
      "debounce_ms", "code",       "language", "strategy",   "mix",    "seed",
      "count",       "max_pairs",  "format",   "paths",      "labels", "negatives",
      "check_api",   "near_dedup", "jsonrpc",  "id",         "method"};
  const std::vector<Json> values = {42,
                                    -1,
                                    3.5,
                                    "x",
                                    Json::array(),
                                    Json::object(),
                                    true,
                                    nullptr,
                                    Json(18446744073709551615ull),
                                    Json(-9223372036854775807ll - 1),
                                    Json::array({Json::array({Json::array()})}),
                                    std::string(100000, 'z')};
  const std::vector<Route> routes = Routes();
  for (const Route& route : routes) {
    if (route.method != "POST") continue;
    std::string path = Fill(route.pattern);
    SCOPED_TRACE(path);
    bool mcp = route.pattern == "/mcp";
    for (const std::string& body : bodies) {
      Reply r = Post(path, body);
      if (mcp) {
        EXPECT_GT(r.status, 0);
        EXPECT_LT(r.status, 500) << r.body.substr(0, 300);
        EXPECT_TRUE(r.json.is_object() && r.json.contains("error")) << r.body.substr(0, 300);
      } else {
        EXPECT_GE(r.status, 400) << body.substr(0, 80) << " -> " << r.body.substr(0, 300);
        EXPECT_LT(r.status, 500) << body.substr(0, 80) << " -> " << r.body.substr(0, 300);
        EXPECT_TRUE(IsJsonError(r)) << r.body.substr(0, 300);
      }
    }
    for (const std::string& field : fields) {
      for (const Json& value : values) {
        Json body = {{field, value}};
        if (route.pattern == "/v1/graphs/{graph}/query" && field != "query") {
          body["query"] = "MATCH (n) RETURN count(n)";
        }
        Reply r = Post(path, body.dump());
        EXPECT_GT(r.status, 0) << body.dump().substr(0, 100);
        EXPECT_LT(r.status, 500) << body.dump().substr(0, 100) << " -> " << r.body.substr(0, 300);
        if (r.status >= 400 && !mcp) {
          EXPECT_TRUE(IsJsonError(r)) << r.body.substr(0, 300);
        }
      }
    }
  }
  ExpectHealthy();
  EXPECT_EQ(Column(Query("g", "MATCH (c:Class {name: 'GiftCard'}) RETURN c.name")),
            (std::vector<std::string>{"GiftCard"}));
}

TEST_F(HostileTest, OversizedHeadersUrisAndBodiesAreRefused) {
  StartServer({"--max-body-bytes", "65536"});
  int port = proc_->port();
  auto status_of = [port](const std::string& request) {
    RawConnection c(port);
    EXPECT_TRUE(c.ok());
    c.Send(request);
    return RawConnection::StatusOf(c.Receive(10s, /*until_status=*/true));
  };
  // One 100 KB header line; a 100 KB URI: refused (4xx) or the connection is dropped.
  int s = status_of("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(100000, 'a') +
                    "\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(s == 0 || (s >= 400 && s < 500)) << s;
  s = status_of("GET /v1/graphs/" + std::string(100000, 'a') +
                " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(s == 0 || (s >= 400 && s < 500)) << s;
  // A Content-Length far above the limit is refused before any body is sent.
  auto start = std::chrono::steady_clock::now();
  s = status_of(
      "POST /v1/graphs/g/query HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 99999999999\r\nConnection: close\r\n\r\n{");
  EXPECT_EQ(s, 413);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);  // at most the read timeout
  // Garbage Content-Length.
  s = status_of(
      "POST /v1/graphs/g/query HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n"
      "Connection: close\r\n\r\n");
  EXPECT_TRUE(s == 0 || (s >= 400 && s < 500)) << s;
  // An endless chunked body stops at the limit.
  {
    RawConnection c(port);
    ASSERT_TRUE(c.ok());
    c.Send(
        "POST /v1/graphs/g/query HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
    std::string chunk = "1000\r\n" + std::string(0x1000, ' ') + "\r\n";
    bool sending = true;
    for (int i = 0; i < 64 && sending; ++i) sending = c.Send(chunk);  // 256 KiB > 64 KiB
    std::string reply = c.Receive(10s, /*until_status=*/true);
    int code = RawConnection::StatusOf(reply);
    EXPECT_TRUE(code == 0 || code == 400 || code == 413) << reply.substr(0, 200);
  }
  // Many headers: refused, dropped, or answered; the server survives.
  {
    RawConnection c(port);
    ASSERT_TRUE(c.ok());
    std::string req = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 20000; ++i) req += "X-H" + std::to_string(i) + ": v\r\n";
    req += "Connection: close\r\n\r\n";
    c.Send(req);
    int code = RawConnection::StatusOf(c.Receive(10s, true));
    EXPECT_TRUE(code == 0 || code == 200 || (code >= 400 && code < 500)) << code;
  }
  // Not HTTP at all.
  s = status_of(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11) +
                std::string(512, '\0'));
  EXPECT_TRUE(s == 0 || (s >= 400 && s < 500)) << s;
  s = status_of("GET\r\n\r\n");
  EXPECT_TRUE(s == 0 || (s >= 400 && s < 500)) << s;
  ExpectHealthy();
}

TEST_F(HostileTest, PathTraversalInIngestPathsAndIdsStaysInside) {
  // root/: the allowed folder, with a symlink to a folder outside it.
  std::string root = dir_.path() + "/root";
  std::string outside = dir_.path() + "/outside";
  fs::create_directories(root + "/pkg");
  fs::create_directories(outside);
  std::ofstream(root + "/pkg/inside.py") << "class Inside:\n    pass\n";
  std::ofstream(outside + "/secret.py") << "class Secret:\n    pass\n";
  fs::create_directory_symlink(outside, root + "/pkg/link_out");
  fs::create_directory_symlink(outside, dir_.path() + "/root_alias_out");
  std::ofstream(outside + "/leak.py") << "X = 1\n";
  fs::create_symlink(outside + "/leak.py", root + "/pkg/leak.py");
  StartServer({"--allow-root", root});

  for (const std::string& path :
       {root + "/..", root + "/../outside", root + "/pkg/../../outside", std::string("/"),
        std::string("/etc"), std::string("/proc/self"), root + "/pkg/link_out",
        dir_.path() + "/root_alias_out", std::string("../../../../etc"), root + "\\..\\..",
        root + "/pkg/link_out/.."}) {
    SCOPED_TRACE(path);
    Reply r = Ingest("t", path);
    // Outside the root: 403. (A Windows-style name is just a folder name that does not exist.)
    if (path.find('\\') != std::string::npos) {
      EXPECT_TRUE(r.status == 403 || r.status == 404) << r.body;
    } else {
      ExpectError(r, 403, "permission_denied");
    }
  }
  // Percent-encoding is not decoded in a JSON path: a folder literally named %2e%2e.
  ExpectError(Ingest("t", root + "/%2e%2e/%2e%2e/outside"), 404, "not_found");
  // A path with a NUL byte.
  Reply nul = Post("/v1/graphs/t/ingest?wait=true",
                   std::string("{\"path\": \"") + root + "\\u0000/../..\"}");
  EXPECT_GE(nul.status, 400) << nul.body;
  EXPECT_LT(nul.status, 500) << nul.body;

  // Inside the root, symlinks that lead outside are not followed into the graph.
  Reply ok = Ingest("t", root);
  ASSERT_EQ(ok.status, 200) << ok.body;
  std::vector<std::string> paths =
      Column(Query("t", "MATCH (f:File) RETURN f.path ORDER BY f.path"));
  EXPECT_EQ(paths, (std::vector<std::string>{"pkg/inside.py"}));
  EXPECT_TRUE(Column(Query("t", "MATCH (c:Class {name: 'Secret'}) RETURN c.name")).empty());

  // Ids and names with traversal: 404/400, never a file from disk.
  for (const std::string& p :
       {std::string("/v1/graphs/t/nodes/..%2F..%2F..%2Fetc%2Fpasswd"),
        std::string("/v1/graphs/t/nodes/%2e%2e%2f%2e%2e%2fetc%2fpasswd/tree"),
        std::string("/v1/graphs/..%2F..%2Fetc"), std::string("/v1/graphs/%2e%2e"),
        std::string("/v1/jobs/..%2F..%2F..%2Fetc%2Fpasswd/results"),
        std::string("/v1/jobs/%2e%2e%2fdb%2fCURRENT/results"), std::string("/ui/..%2F..%2Fdb"),
        std::string("/ui/%2e%2e%2fapi.md"), std::string("/v1/graphs/t/nodes/%00"),
        std::string("/v1/graphs/t/../../healthz")}) {
    SCOPED_TRACE(p);
    Reply r = Get(p);
    EXPECT_TRUE(r.status == 400 || r.status == 404) << r.status << " " << r.body.substr(0, 200);
    EXPECT_EQ(r.body.find("root:"), std::string::npos);
    EXPECT_EQ(r.body.find("Secret"), std::string::npos);
  }
  ExpectHealthy();
}

// Clients that trickle a request header (or body) in, a byte at a time under the read timeout,
// are disconnected by the request deadline; other clients keep getting answers meanwhile.
TEST_F(HostileTest, SlowlorisClientsAreCutOffWhileOthersAreServed) {
  StartServer({"--threads", "4", "--keep-alive-s", "1", "--request-timeout-s", "1",
               "--read-timeout-s", "5"});
  int port = proc_->port();
  std::atomic<bool> stop{false};
  std::atomic<int> cut_off{0};
  std::vector<std::thread> tricklers;
  for (int i = 0; i < 8; ++i) {
    tricklers.emplace_back([&, i] {
      RawConnection c(port);
      if (!c.ok()) return;
      std::string req =
          i % 2 == 0 ? "GET /v1/graphs HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(200, 'a')
                     : "POST /v1/graphs/g/query HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n"
                       "Content-Type: application/json\r\n\r\n" +
                           std::string(500, ' ');
      for (char ch : req) {
        if (stop || !c.Send(std::string(1, ch))) break;
        std::string got = c.Receive(200ms);
        if (c.closed() || !got.empty()) break;
      }
      if (!stop) ++cut_off;
    });
  }
  std::this_thread::sleep_for(300ms);
  // Meanwhile, normal clients are answered within a bounded time.
  auto start = std::chrono::steady_clock::now();
  client_->set_read_timeout(std::chrono::seconds(20));
  int answered = 0;
  for (int i = 0; i < 20; ++i) {
    if (Get("/healthz").status == 200) ++answered;
  }
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(answered, 20);
  EXPECT_LT(took, 8s);
  // Every trickler was cut off by the server well before its request could complete (a header
  // of 200+ bytes at 5 bytes/s takes 40 s).
  auto deadline = std::chrono::steady_clock::now() + 15s;
  while (cut_off < 8 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(cut_off.load(), 8);
  stop = true;
  for (auto& t : tricklers) t.join();
  ExpectHealthy();
}

// Pathological queries get a bounded error or a `limit_hit`, quickly, and leave the server well.
TEST_F(HostileTest, PathologicalQueriesAreBounded) {
  StartServer({"--max-body-bytes", std::to_string(12 << 20), "--max-expansions", "200000"});
  ASSERT_EQ(Ingest("g", kSample).status, 200);
  client_->set_read_timeout(std::chrono::seconds(30));
  struct Case {
    std::string name;
    std::string query;
  };
  std::vector<Case> cases = {
      {"deep parentheses", "RETURN " + std::string(10000, '(') + "1" + std::string(10000, ')')},
      {"deep lists", "RETURN " + std::string(10000, '[') + std::string(10000, ']')},
      {"deep maps", "RETURN " +
                        [] {
                          std::string s;
                          for (int i = 0; i < 5000; ++i) s += "{a: ";
                          s += "1";
                          s += std::string(5000, '}');
                          return s;
                        }()},
      {"deep NOT", "RETURN " +
                       [] {
                         std::string s;
                         for (int i = 0; i < 10000; ++i) s += "NOT ";
                         return s + "true";
                       }()},
      {"deep unary minus", "RETURN " + std::string(10000, '-') + "1"},
      {"long AND chain", "MATCH (n) WHERE " +
                             [] {
                               std::string s = "true";
                               for (int i = 0; i < 20000; ++i) s += " AND true";
                               return s;
                             }() +
                             " RETURN count(n)"},
      {"deep CASE", "RETURN " +
                        [] {
                          std::string s;
                          for (int i = 0; i < 3000; ++i) s += "CASE WHEN true THEN ";
                          s += "1";
                          for (int i = 0; i < 3000; ++i) s += " END";
                          return s;
                        }()},
      {"10 MB string literal", "RETURN size('" + std::string(10 << 20, 'x') + "') AS n"},
      {"unbounded var-length", "MATCH p = (a)-[*]-(b) RETURN count(p)"},
      {"unbounded var-length, all paths", "MATCH p = (a)-[*0..]-(b) RETURN p"},
      {"cartesian product", "MATCH (a), (b), (c), (d) RETURN count(*)"},
      {"regex catastrophe", "MATCH (n) WHERE n.name =~ '(a*)*(a*)*(a*)*b' RETURN count(n)"},
      {"regex on a long string",
       "RETURN '" + std::string(100000, 'a') + "' =~ '(a|aa)*(a|aa)*c' AS m"},
      {"invalid regex", "MATCH (n) WHERE n.name =~ '(((' RETURN n"},
      {"huge regex", "RETURN 'a' =~ '" + std::string(200000, '(') + "' AS m"},
      {"huge UNWIND count", "UNWIND range(1, 2000000000) AS x RETURN count(x)"},
      {"huge UNWIND rows", "UNWIND range(1, 2000000000) AS x RETURN x"},
      {"nested UNWIND",
       "UNWIND range(1, 100000) AS x UNWIND range(1, 100000) AS y RETURN count(*)"},
      {"huge range step", "RETURN size(range(1, 9223372036854775807, 1)) AS n"},
      {"integer overflow", "RETURN 9223372036854775807 + 1 AS n"},
      {"division by zero", "RETURN 1 / 0 AS n, 1 % 0 AS m"},
      {"huge SKIP/LIMIT", "MATCH (n) RETURN n SKIP 9223372036854775807 LIMIT 9223372036854775807"},
      {"collect everything", "UNWIND range(1, 2000000000) AS x RETURN collect(x) AS xs"},
      {"string explosion", "UNWIND range(1, 40) AS i WITH 'ab' AS s RETURN size(s) AS n"},
      {"bad substring", "RETURN substring('abc', -5, 9223372036854775807) AS s"},
      {"split on empty", "RETURN split('" + std::string(10000, 'x') + "', '') AS s"},
      {"NUL bytes", std::string("RETURN 'a\0b' AS s", 17)},
      {"unterminated", "MATCH (n) WHERE n.name = 'abc RETURN n"},
      {"only comments", "// nothing\n/* at all */"},
      {"unterminated comment", "MATCH (n) /* RETURN n"},
      {"many parameters", "RETURN $" + std::string(100000, 'p')},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto start = std::chrono::steady_clock::now();
    Reply r = Query("g", c.query, Json{{"timeout_ms", 3000}, {"limit", 1000}});
    auto took = std::chrono::steady_clock::now() - start;
    EXPECT_GT(r.status, 0) << "no answer";
    EXPECT_LT(r.status, 500) << r.body.substr(0, 300);
    EXPECT_LT(took, 15s);
    if (r.status == 200) {
      EXPECT_LE(r.json["rows"].size(), 1000u);
    } else {
      EXPECT_TRUE(IsJsonError(r)) << r.body.substr(0, 300);
    }
    Reply h = Get("/healthz");
    ASSERT_EQ(h.status, 200) << "server unhealthy after: " << c.name;
  }
  ExpectHealthy();
  EXPECT_EQ(Column(Query("g", "MATCH (c:Class {name: 'GiftCard'}) RETURN c.name")),
            (std::vector<std::string>{"GiftCard"}));
}

}  // namespace
}  // namespace kg::reliability
