// Integration tests of codekgd: the real binary as a child process, real HTTP on 127.0.0.1,
// real RocksDB in a fresh temp folder, real ingest of samples/python. Expectations come from
// the sample's source code.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/server/codekgd_fixture.h"

namespace kg::server {
namespace {

using kg::server::testing::CodekgdProcess;
using kg::server::testing::CodekgdTest;
using kg::server::testing::Json;
using kg::server::testing::kSample;
using kg::server::testing::Reply;
using kg::server::testing::TempDir;

TEST_F(CodekgdTest, IngestQueryAndSynthOverHttp) {
  StartServer();
  Reply health = Get("/healthz");
  ASSERT_EQ(health.status, 200);
  EXPECT_EQ(health.json, Json::parse(R"({"status": "ok"})"));

  Reply ingest = Ingest("shop", kSample);
  ASSERT_EQ(ingest.status, 200) << ingest.body;
  EXPECT_EQ(ingest.json["job"]["state"], "succeeded");
  EXPECT_EQ(ingest.json["job"]["kind"], "ingest");
  const Json& report = ingest.json["report"];
  EXPECT_EQ(report["files_seen"], 10) << report;  // the .py files under samples/python
  EXPECT_EQ(report["files_parsed"], 10) << report;
  EXPECT_EQ(report["skipped"].size(), 0u) << report;
  EXPECT_GT(report["nodes_written"].get<int>(), 0);
  EXPECT_GT(report["edges_written"].get<int>(), 0);
  // The ingest job is recorded.
  Reply job = Get("/v1/jobs/" + ingest.json["job"]["id"].get<std::string>());
  ASSERT_EQ(job.status, 200) << job.body;
  EXPECT_EQ(job.json["job"]["state"], "succeeded");

  Reply graphs = Get("/v1/graphs");
  ASSERT_EQ(graphs.status, 200);
  ASSERT_EQ(graphs.json["graphs"].size(), 1u) << graphs.body;
  EXPECT_EQ(graphs.json["graphs"][0]["name"], "shop");
  EXPECT_GT(graphs.json["graphs"][0]["node_count"].get<int>(), 0);
  Reply graph = Get("/v1/graphs/shop");
  ASSERT_EQ(graph.status, 200) << graph.body;
  // 15 `class` statements in samples/python (cart 2, checkout 2, models 5, payments 5, tests 1).
  EXPECT_EQ(graph.json["graph"]["labels"]["Class"], 15) << graph.body;
  EXPECT_EQ(graph.json["graph"]["edge_types"]["INHERITS"], 7) << graph.body;

  // class PhysicalProduct(Product), class DigitalProduct(Product) in shop/models.py.
  Reply sub = Query("shop",
                    "MATCH (c:Class)-[:INHERITS]->(b:Class) WHERE b.name = 'Product' "
                    "RETURN c.name ORDER BY c.name");
  ASSERT_EQ(sub.status, 200) << sub.body;
  EXPECT_EQ(sub.json["columns"].size(), 1u);
  EXPECT_EQ(Column(sub), (std::vector<std::string>{"DigitalProduct", "PhysicalProduct"}));
  EXPECT_EQ(sub.json["truncated"], false);
  EXPECT_TRUE(sub.json["stats"].is_object());
  EXPECT_TRUE(sub.json["warnings"].is_array());

  // With a parameter: CardGateway(PaymentGateway), WalletGateway(base.PaymentGateway).
  Reply param = Query("shop",
                      "MATCH (c:Class)-[:INHERITS]->(b:Class) WHERE b.name = $base "
                      "RETURN c.name ORDER BY c.name",
                      Json{{"params", {{"base", "PaymentGateway"}}}});
  ASSERT_EQ(param.status, 200) << param.body;
  EXPECT_EQ(Column(param), (std::vector<std::string>{"CardGateway", "WalletGateway"}));

  // limit cuts and says so.
  Reply limited =
      Query("shop", "MATCH (c:Class) RETURN c.name ORDER BY c.name", Json{{"limit", 2}});
  ASSERT_EQ(limited.status, 200) << limited.body;
  EXPECT_EQ(limited.json["rows"].size(), 2u);
  EXPECT_EQ(limited.json["truncated"], true);

  // Synthesis: a job whose JSONL results can be fetched.
  Reply synth =
      PostJson("/v1/graphs/shop/synth?wait=true", Json{{"strategy", "relation_qa"}, {"seed", 5}});
  ASSERT_EQ(synth.status, 200) << synth.body;
  const Json& sj = synth.json["job"];
  EXPECT_EQ(sj["state"], "succeeded");
  EXPECT_EQ(sj["kind"], "synth");
  int pairs = sj["summary"]["records"].get<int>();
  EXPECT_GT(pairs, 0);
  std::string id = sj["id"];
  Reply job2 = Get("/v1/jobs/" + id);
  ASSERT_EQ(job2.status, 200);
  EXPECT_EQ(job2.json["job"]["summary"]["records"], pairs);

  Reply results = Get("/v1/jobs/" + id + "/results");
  ASSERT_EQ(results.status, 200) << results.body;
  EXPECT_EQ(results.content_type, "application/x-ndjson");
  std::istringstream lines(results.body);
  std::string line;
  int count = 0;
  bool gateway_subclasses = false;
  while (std::getline(lines, line)) {
    ++count;
    Json j = Json::parse(line, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << line;
    ASSERT_TRUE(j.contains("instruction") && j.contains("input") && j.contains("output"));
    if (j["meta"]["direction"] == "subclasses" &&
        j["meta"]["subject"] == "shop/payments/base.py:shop.payments.base.PaymentGateway") {
      gateway_subclasses = true;
      const std::string out = j["output"];
      EXPECT_NE(out.find("`shop.payments.card.CardGateway`"), std::string::npos) << out;
      EXPECT_NE(out.find("`shop.payments.wallet.WalletGateway`"), std::string::npos) << out;
    }
  }
  EXPECT_EQ(count, pairs);
  EXPECT_TRUE(gateway_subclasses);

  // Same seed, same bytes; max_pairs caps.
  Reply again = PostJson("/v1/graphs/shop/synth?wait=true", Json{{"seed", 5}});
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_NE(again.json["job"]["id"], id);
  EXPECT_EQ(Get("/v1/jobs/" + again.json["job"]["id"].get<std::string>() + "/results").body,
            results.body);
  Reply capped = PostJson("/v1/graphs/shop/synth?wait=true", Json{{"seed", 5}, {"max_pairs", 3}});
  ASSERT_EQ(capped.status, 200) << capped.body;
  EXPECT_EQ(capped.json["job"]["summary"]["records"], 3);

  // Re-ingest of unchanged files parses nothing.
  Reply reingest = Ingest("shop", kSample);
  ASSERT_EQ(reingest.status, 200) << reingest.body;
  EXPECT_EQ(reingest.json["report"]["files_unchanged"], 10) << reingest.body;
  EXPECT_EQ(reingest.json["report"]["files_parsed"], 0) << reingest.body;

  // The route table is served.
  Reply routes = Get("/v1");
  ASSERT_EQ(routes.status, 200);
  EXPECT_GE(routes.json["routes"].size(), 10u);
}

// The two newest strategies over HTTP: api_compose (template answers, API-checked) and
// cpt_corpus (the sample's files in import order as text records within chunk_bytes).
TEST_F(CodekgdTest, SynthApiComposeAndCptCorpusJobs) {
  StartServer();
  ASSERT_EQ(Ingest("shop", kSample).status, 200);
  auto results = [&](const Json& job) {
    std::vector<Json> lines;
    Reply r = Get("/v1/jobs/" + job["id"].get<std::string>() + "/results");
    EXPECT_EQ(r.status, 200) << r.body;
    std::istringstream in(r.body);
    for (std::string line; std::getline(in, line);) lines.push_back(Json::parse(line));
    return lines;
  };

  Reply compose = PostJson("/v1/graphs/shop/synth?wait=true",
                           Json{{"strategy", "api_compose"}, {"seed", 3}, {"format", "messages"}});
  ASSERT_EQ(compose.status, 200) << compose.body;
  const Json& cj = compose.json["job"];
  EXPECT_EQ(cj["state"], "succeeded") << compose.body;
  EXPECT_GT(cj["summary"]["per_strategy"].value("api_compose", 0), 0) << compose.body;
  EXPECT_EQ(cj["summary"]["api_check"]["rejected"], 0) << compose.body;
  for (const Json& j : results(cj)) {
    ASSERT_EQ(j["messages"].size(), 2u) << j;
    EXPECT_EQ(j["messages"][1]["role"], "assistant");
    EXPECT_NE(j["messages"][1]["content"].get<std::string>().find("```python"), std::string::npos)
        << j;
    EXPECT_EQ(j["meta"]["strategy"], "api_compose");
  }

  Reply cpt = PostJson("/v1/graphs/shop/synth?wait=true",
                       Json{{"strategy", "cpt_corpus"}, {"format", "text"}, {"chunk_bytes", 1024}});
  ASSERT_EQ(cpt.status, 200) << cpt.body;
  const Json& tj = cpt.json["job"];
  EXPECT_EQ(tj["state"], "succeeded") << cpt.body;
  std::vector<std::string> order;  // subjects' files, first part of each
  for (const Json& j : results(tj)) {
    std::string text = j["text"];
    EXPECT_LE(text.size(), 1024u);
    std::string path = j["meta"]["subject"];
    path = path.substr(0, path.find('#'));
    EXPECT_EQ(text.rfind("# " + path, 0), 0u) << text.substr(0, 80);
    if (order.empty() || order.back() != path) order.push_back(path);
  }
  auto pos = [&](const std::string& p) {
    return std::find(order.begin(), order.end(), p) - order.begin();
  };
  ASSERT_EQ(order.size(), 10u) << tj["summary"].dump();  // the sample's 10 .py files, once each
  // shop/cart.py imports .models and .utils; models imports .utils; checkout imports .cart.
  EXPECT_LT(pos("shop/utils.py"), pos("shop/models.py"));
  EXPECT_LT(pos("shop/models.py"), pos("shop/cart.py"));
  EXPECT_LT(pos("shop/cart.py"), pos("shop/checkout.py"));
  EXPECT_LT(pos("shop/payments/base.py"), pos("shop/payments/card.py"));
  EXPECT_LT(pos("shop/models.py"), pos("tests/test_cart.py"));

  // cpt_corpus writes only text; teacher and chunk_bytes are validated.
  Json e = ExpectError(PostJson("/v1/graphs/shop/synth?wait=true",
                                Json{{"strategy", "cpt_corpus"}, {"format", "alpaca"}}),
                       400, "invalid_argument");
  EXPECT_NE(e["message"].get<std::string>().find("'text'"), std::string::npos) << e;
  e = ExpectError(
      PostJson("/v1/graphs/shop/synth?wait=true",
               Json{{"strategy", "cpt_corpus"}, {"format", "text"}, {"chunk_bytes", 10}}),
      400, "invalid_argument");
  EXPECT_NE(e["message"].get<std::string>().find("'chunk_bytes'"), std::string::npos) << e;
  e = ExpectError(PostJson("/v1/graphs/shop/synth?wait=true",
                           Json{{"strategy", "api_compose"}, {"teacher", {{"url", "ftp://x"}}}}),
                  400, "invalid_argument");
  EXPECT_NE(e["message"].get<std::string>().find("teacher.url"), std::string::npos) << e;
}

TEST_F(CodekgdTest, BadInputsGetJsonErrorsAndTheServerSurvives) {
  StartServer();
  ASSERT_EQ(PostJson("/v1/graphs/shop", Json::object()).status, 201);
  ExpectError(PostJson("/v1/graphs/shop", Json::object()), 409, "already_exists");

  // Nonexistent path.
  Json e = ExpectError(Ingest("shop", dir_.path() + "/no/such/folder"), 404, "not_found");
  EXPECT_NE(e["message"].get<std::string>().find("path does not exist"), std::string::npos) << e;
  // A file, not a folder.
  ExpectError(Ingest("shop", kSample + "/shop/cart.py"), 400, "invalid_argument");

  // Malformed query: line and column point into the query text.
  e = ExpectError(Query("shop", "MATCH (c:Class RETURN c"), 400, "invalid_argument");
  ASSERT_TRUE(e.contains("position")) << e;
  EXPECT_EQ(e["position"]["line"], 1) << e;
  EXPECT_GE(e["position"]["column"].get<int>(), 8) << e;
  e = ExpectError(Query("shop", "MATCH (c:Class)\nRETURN c.name,,"), 400, "invalid_argument");
  ASSERT_TRUE(e.contains("position")) << e;
  EXPECT_EQ(e["position"]["line"], 2) << e;

  // Unknown graph, on query and synth: 404 naming the graph.
  e = ExpectError(Query("nograph", "MATCH (n) RETURN n"), 404, "not_found");
  EXPECT_NE(e["message"].get<std::string>().find("nograph"), std::string::npos) << e;
  e = ExpectError(PostJson("/v1/graphs/nograph/synth", Json::object()), 404, "not_found");
  EXPECT_NE(e["message"].get<std::string>().find("nograph"), std::string::npos) << e;
  ExpectError(Get("/v1/graphs/nograph"), 404, "not_found");
  ExpectError(Delete("/v1/graphs/nograph"), 404, "not_found");

  // Bad JSON body: 400 with the parse position.
  e = ExpectError(Post("/v1/graphs/shop/query", "{\"query\": \n  \"MATCH\" oops}"), 400,
                  "invalid_argument");
  ASSERT_TRUE(e.contains("position")) << e;
  EXPECT_EQ(e["position"]["line"], 2) << e;
  EXPECT_EQ(e["position"]["column"], 11) << e;
  ExpectError(Post("/v1/graphs/shop/query", "[1, 2]"), 400, "invalid_argument");

  // Unknown route (and a known path with the wrong method).
  e = ExpectError(Get("/v2/nothing"), 404, "not_found");
  EXPECT_NE(e["message"].get<std::string>().find("/v2/nothing"), std::string::npos);
  e = ExpectError(Get("/v1/graphs/shop/query"), 404, "not_found");
  EXPECT_NE(e["message"].get<std::string>().find("POST"), std::string::npos) << e;

  // Wrong field types name the field.
  e = ExpectError(PostJson("/v1/graphs/shop/query", Json{{"query", 42}}), 400, "invalid_argument");
  EXPECT_NE(e["message"].get<std::string>().find("'query'"), std::string::npos) << e;
  e = ExpectError(PostJson("/v1/graphs/shop/ingest", Json{{"path", Json::array()}}), 400,
                  "invalid_argument");
  EXPECT_NE(e["message"].get<std::string>().find("'path'"), std::string::npos) << e;
  e = ExpectError(PostJson("/v1/graphs/shop/synth?wait=true", Json{{"seed", "seven"}}), 400,
                  "invalid_argument");
  EXPECT_NE(e["message"].get<std::string>().find("'seed'"), std::string::npos) << e;
  e = ExpectError(Query("shop", "MATCH (n) RETURN n", Json{{"limit", 0}}), 400, "invalid_argument");
  EXPECT_NE(e["message"].get<std::string>().find("'limit'"), std::string::npos) << e;
  e = ExpectError(Query("shop", "MATCH (n) RETURN n", Json{{"params", "x"}}), 400,
                  "invalid_argument");
  EXPECT_NE(e["message"].get<std::string>().find("'params'"), std::string::npos) << e;
  // Missing and unknown fields.
  e = ExpectError(PostJson("/v1/graphs/shop/query", Json::object()), 400, "invalid_argument");
  EXPECT_NE(e["message"].get<std::string>().find("'query'"), std::string::npos) << e;
  e = ExpectError(PostJson("/v1/graphs/shop/ingest", Json::object()), 400, "invalid_argument");
  EXPECT_NE(e["message"].get<std::string>().find("'path'"), std::string::npos) << e;
  e = ExpectError(PostJson("/v1/graphs/shop/query", Json{{"qeury", "MATCH (n) RETURN n"}}), 400,
                  "invalid_argument");
  EXPECT_NE(e["message"].get<std::string>().find("'qeury'"), std::string::npos) << e;
  // Unknown strategy / format.
  e = ExpectError(PostJson("/v1/graphs/shop/synth?wait=true", Json{{"strategy", "nope"}}), 400,
                  "invalid_argument");
  EXPECT_NE(e["message"].get<std::string>().find("relation_qa"), std::string::npos) << e;
  ExpectError(PostJson("/v1/graphs/shop/synth?wait=true", Json{{"format", "csv"}}), 400,
              "invalid_argument");
  // Bad graph name.
  ExpectError(Ingest("bad%20name", kSample), 400, "invalid_argument");
  // Unknown job, and results of a job without results.
  ExpectError(Get("/v1/jobs/job_does_not_exist"), 404, "not_found");
  ExpectError(Get("/v1/jobs/..%2F..%2Fetc/results"), 404, "not_found");

  // A body over the 8 MiB limit: 413 (or, if the server closes the connection before the client
  // finishes sending, no response; either way the server lives on).
  std::string huge(9u << 20, ' ');
  Reply big = Post("/v1/graphs/shop/query", huge);
  if (big.status != 0) ExpectError(big, 413, "resource_exhausted");

  // Still alive, still answering.
  Reply health = Get("/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.json["status"], "ok");
  EXPECT_EQ(PostJson("/v1/graphs/shop/query", Json{{"query", "MATCH (n) RETURN count(n)"}}).status,
            200);
}

TEST_F(CodekgdTest, BodyLimitIs413WithJsonError) {
  StartServer({"--max-body-bytes", "1024"});
  std::string body = Json{{"query", std::string(4096, 'x')}}.dump();
  Reply r = Post("/v1/graphs/shop/query", body);
  ExpectError(r, 413, "resource_exhausted");
  EXPECT_EQ(Get("/healthz").status, 200);
}

// Sends `request` verbatim on a fresh connection and returns the status line's code (0 if no
// answer within 3 s).
int RawHttpStatus(int port, const std::string& request) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int status = 0;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(request.size())) {
    pollfd p{fd, POLLIN, 0};
    std::string reply;
    char buf[512];
    while (reply.find("\r\n") == std::string::npos && poll(&p, 1, 3000) > 0) {
      ssize_t n = recv(fd, buf, sizeof(buf), 0);
      if (n <= 0) break;
      reply.append(buf, static_cast<size_t>(n));
    }
    if (reply.rfind("HTTP/1.1 ", 0) == 0) status = std::atoi(reply.c_str() + 9);
  }
  close(fd);
  return status;
}

TEST_F(CodekgdTest, BodiesWithoutLengthOrFormEncodedWork) {
  StartServer();
  // curl -X POST without -d sends no Content-Length: an empty body, answered at once.
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(RawHttpStatus(proc_->port(),
                          "POST /v1/graphs/raw HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
            201);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  // curl -d sends JSON labelled form-urlencoded; bodies above 8 KiB must still be read as JSON.
  Json body = {{"query", "MATCH (c:Class) RETURN c.name"},
               {"params", {{"pad", std::string(20000, 'x')}}}};
  auto r = ToReply(
      client_->Post("/v1/graphs/raw/query", body.dump(), "application/x-www-form-urlencoded"));
  EXPECT_EQ(r.status, 200) << r.body;
  // Chunked bodies are read too.
  std::string json = R"({"query": "MATCH (c:Class) RETURN c.name"})";
  char len[16];
  std::snprintf(len, sizeof(len), "%zx", json.size());
  EXPECT_EQ(RawHttpStatus(proc_->port(),
                          "POST /v1/graphs/raw/query HTTP/1.1\r\nHost: x\r\n"
                          "Connection: close\r\nTransfer-Encoding: chunked\r\n"
                          "Content-Type: application/json\r\n\r\n" +
                              std::string(len) + "\r\n" + json + "\r\n0\r\n\r\n"),
            200);
  EXPECT_EQ(Get("/healthz").status, 200);
}

TEST_F(CodekgdTest, SigtermStopsCleanlyAndDataSurvivesRestart) {
  StartServer();
  ASSERT_EQ(Ingest("shop", kSample).status, 200);
  Reply synth = PostJson("/v1/graphs/shop/synth?wait=true", Json{{"seed", 1}});
  ASSERT_EQ(synth.status, 200) << synth.body;
  std::string id = synth.json["job"]["id"];
  std::string results = Get("/v1/jobs/" + id + "/results").body;
  ASSERT_FALSE(results.empty());
  const std::string q =
      "MATCH (c:Class)-[:INHERITS]->(b:Class) WHERE b.name = 'DigitalProduct' RETURN c.name";
  ASSERT_EQ(Column(Query("shop", q)), (std::vector<std::string>{"GiftCard"}));

  client_.reset();
  EXPECT_EQ(proc_->SignalAndWait(SIGTERM), 0);
  proc_.reset();

  // Same data folder: the graph, its facts and the job are all still there.
  StartServer();
  Reply graphs = Get("/v1/graphs");
  ASSERT_EQ(graphs.status, 200);
  ASSERT_EQ(graphs.json["graphs"].size(), 1u);
  EXPECT_EQ(graphs.json["graphs"][0]["name"], "shop");
  EXPECT_EQ(Column(Query("shop", q)), (std::vector<std::string>{"GiftCard"}));
  Reply job = Get("/v1/jobs/" + id);
  ASSERT_EQ(job.status, 200);
  EXPECT_EQ(job.json["job"]["state"], "succeeded");
  EXPECT_EQ(Get("/v1/jobs/" + id + "/results").body, results);

  // DELETE removes the graph; SIGINT stops as cleanly as SIGTERM.
  EXPECT_EQ(Delete("/v1/graphs/shop").status, 200);
  ExpectError(Query("shop", q), 404, "not_found");
  client_.reset();
  EXPECT_EQ(proc_->SignalAndWait(SIGINT), 0);
}

TEST_F(CodekgdTest, SecondServerOnTheSameDataOrPortFails) {
  StartServer();
  std::string error;
  auto second =
      CodekgdProcess::Start(CODEKGD_PATH, {"--data", dir_.path() + "/data", "--port", "0"}, &error);
  EXPECT_EQ(second, nullptr) << "a second codekgd must not open a locked database";
  // Nor may one with its own data bind a port that is taken.
  TempDir other;
  second = CodekgdProcess::Start(
      CODEKGD_PATH, {"--data", other.path() + "/data", "--port", std::to_string(proc_->port())},
      &error);
  EXPECT_EQ(second, nullptr) << "a second codekgd must not share a listening port";
  EXPECT_EQ(Get("/healthz").status, 200);
}

TEST_F(CodekgdTest, ConcurrentQueries) {
  StartServer();
  ASSERT_EQ(Ingest("shop", kSample).status, 200);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      httplib::Client c("127.0.0.1", proc_->port());
      for (int i = 0; i < 10; ++i) {
        Json body = {{"query", "MATCH (c:Class) RETURN c.name ORDER BY c.name"}};
        auto r = (t % 2 == 0) ? c.Post("/v1/graphs/shop/query", body.dump(), "application/json")
                              : c.Get("/healthz");
        if (r && r->status == 200) ++ok;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 60);
}

TEST_F(CodekgdTest, TokenGuardsWrites) {
  StartServer({"--token", "s3cret"});
  ExpectError(Ingest("shop", kSample), 403, "permission_denied");
  Reply ok = Post("/v1/graphs/shop/ingest?wait=true", Json{{"path", kSample}}.dump(),
                  {{"Authorization", "Bearer s3cret"}});
  EXPECT_EQ(ok.status, 200) << ok.body;
  // Reads need no token.
  EXPECT_EQ(Query("shop", "MATCH (c:Class) RETURN c.name").status, 200);
}

}  // namespace
}  // namespace kg::server
