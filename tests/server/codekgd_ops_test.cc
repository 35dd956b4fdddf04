// Operations of the real codekgd over HTTP: asynchronous jobs (progress, cancel, list), recovery
// after SIGKILL and SIGTERM, settings from a config file and the environment, allowed ingest
// roots, the token on reads, the OpenAPI document, watches, and slow clients.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "tests/server/codekgd_fixture.h"

namespace kg::server {
namespace {

using testing::CodekgdTest;
using testing::Json;
using testing::kSample;
using testing::Reply;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

// Files of the generated tree: enough for an ingest to be caught mid-run, few enough to be quick.
constexpr int kBigFiles = 400;

class CodekgdOpsTest : public CodekgdTest {
 protected:
  // Writes `files` Python modules (a few classes and functions each) under dir_/big.
  std::string MakeBigTree(int files) {
    std::string root = dir_.path() + "/big";
    for (int i = 0; i < files; ++i) {
      std::string sub = root + "/pkg" + std::to_string(i % 20);
      fs::create_directories(sub);
      std::ofstream out(sub + "/mod" + std::to_string(i) + ".py");
      out << "import os\n\n";
      for (int c = 0; c < 8; ++c) {
        out << "class C" << i << "_" << c << "(object):\n"
            << "    \"\"\"Class " << c << ".\"\"\"\n"
            << "    def method_" << c << "(self, x):\n"
            << "        return os.path.join(str(x), '" << c << "')\n\n"
            << "def f" << i << "_" << c << "(a, b=1):\n"
            << "    return C" << i << "_" << c << "().method_" << c << "(a) + str(b)\n\n";
      }
    }
    return root;
  }
  // Polls GET /v1/jobs/{id} until `done(job)` or `timeout`; returns the last job JSON.
  template <typename Pred>
  Json PollJob(const std::string& id, Pred done, std::chrono::milliseconds timeout = 60s,
               std::chrono::milliseconds every = 20ms) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    Json job;
    while (std::chrono::steady_clock::now() < deadline) {
      Reply r = Get("/v1/jobs/" + id);
      if (r.status == 200) {
        job = r.json["job"];
        if (done(job)) return job;
      }
      std::this_thread::sleep_for(every);
    }
    ADD_FAILURE() << "job " << id << " did not reach the expected state: " << job.dump();
    return job;
  }
  static bool IsFinal(const Json& job) {
    std::string s = job.value("state", "");
    return s == "succeeded" || s == "failed" || s == "cancelled";
  }
  // {node_count, edge_count, file_count} of a graph.
  Json Counts(const std::string& graph) {
    Reply g = Get("/v1/graphs/" + graph);
    if (g.status != 200) return Json::object();
    return Json{{"nodes", g.json["graph"]["node_count"]},
                {"edges", g.json["graph"]["edge_count"]},
                {"files", g.json["graph"]["file_count"]}};
  }
  // The graph equals a clean ingest of the same folder into a fresh graph.
  void ExpectSameAsCleanIngest(const std::string& graph, const std::string& path) {
    ASSERT_EQ(Ingest(graph + "_clean", path).status, 200);
    Json clean = Counts(graph + "_clean");
    EXPECT_EQ(Counts(graph), clean);
    EXPECT_GT(clean.value("files", 0), kBigFiles - 1) << clean;
  }
};

TEST_F(CodekgdOpsTest, AsyncJobsReportProgressAndAreListed) {
  StartServer();
  Reply ingest = PostJson("/v1/graphs/shop/ingest", Json{{"path", kSample}});
  ASSERT_EQ(ingest.status, 202) << ingest.body;
  std::string id = ingest.json["job"]["id"];
  EXPECT_EQ(ingest.json["job"]["kind"], "ingest");
  Json job = PollJob(id, IsFinal);
  EXPECT_EQ(job["state"], "succeeded") << job;
  EXPECT_EQ(job["attempts"], 1);
  EXPECT_EQ(job["summary"]["files_parsed"], 10) << job;
  EXPECT_EQ(job["progress"]["done"], job["progress"]["total"]) << job;
  EXPECT_GE(job["progress"]["total"].get<int>(), 10) << job;
  EXPECT_TRUE(job["progress"].contains("rate") && job["progress"].contains("eta_s")) << job;

  Reply synth = PostJson("/v1/graphs/shop/synth", Json{{"seed", 2}, {"max_pairs", 4}});
  ASSERT_EQ(synth.status, 202) << synth.body;
  std::string sid = synth.json["job"]["id"];
  Json sjob = PollJob(sid, IsFinal);
  ASSERT_EQ(sjob["state"], "succeeded") << sjob;
  EXPECT_TRUE(sjob["has_results"].get<bool>());
  Reply results = Get("/v1/jobs/" + sid + "/results");
  EXPECT_EQ(results.status, 200);
  EXPECT_EQ(std::count(results.body.begin(), results.body.end(), '\n'), 4) << results.body;

  Reply list = Get("/v1/jobs");
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.json["jobs"].size(), 2u);
  EXPECT_EQ(list.json["jobs"][0]["id"], sid);  // newest first
  EXPECT_EQ(list.json["jobs"][1]["id"], id);
  Reply only_ingest = Get("/v1/jobs?kind=ingest&state=succeeded");
  ASSERT_EQ(only_ingest.json["jobs"].size(), 1u);
  EXPECT_EQ(only_ingest.json["jobs"][0]["id"], id);
  Reply limited = Get("/v1/jobs?limit=1");
  EXPECT_EQ(limited.json["jobs"].size(), 1u);
  EXPECT_TRUE(limited.json["truncated"].get<bool>());
  ExpectError(Get("/v1/jobs?colour=red"), 400, "invalid_argument");
  ExpectError(Get("/v1/jobs?limit=0"), 400, "invalid_argument");
  ExpectError(Delete("/v1/jobs/job_nope"), 404, "not_found");
  ExpectError(PostJson("/v1/graphs/shop/ingest?wait=maybe", Json{{"path", kSample}}), 400,
              "invalid_argument");

  std::string metrics = Get("/metrics").body;
  EXPECT_NE(metrics.find("codekgd_jobs_total{kind=\"synth\",state=\"succeeded\"} 1"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("codekgd_jobs_active{state=\"running\"} 0"), std::string::npos);
}

TEST_F(CodekgdOpsTest, CancelQueuedAndRunningJobs) {
  std::string big = MakeBigTree(kBigFiles);
  StartServer({"--job-workers", "1"});
  Reply first = PostJson("/v1/graphs/big/ingest", Json{{"path", big}});
  ASSERT_EQ(first.status, 202) << first.body;
  std::string running = first.json["job"]["id"];
  Reply second = PostJson("/v1/graphs/shop/ingest", Json{{"path", kSample}});
  ASSERT_EQ(second.status, 202);
  std::string queued = second.json["job"]["id"];
  PollJob(running, [](const Json& j) { return j["state"] == "running"; });
  Reply q = Delete("/v1/jobs/" + queued);
  ASSERT_EQ(q.status, 200) << q.body;
  EXPECT_EQ(q.json["job"]["state"], "cancelled") << q.body;
  Reply r = Delete("/v1/jobs/" + running);
  ASSERT_EQ(r.status, 200) << r.body;
  Json job = PollJob(running, IsFinal);
  EXPECT_EQ(job["state"], "cancelled") << job;
  EXPECT_EQ(job["error"]["code"], "cancelled") << job;
  EXPECT_LT(job["progress"]["done"].get<int64_t>(), kBigFiles) << job;
  EXPECT_EQ(Get("/v1/jobs/" + queued).json["job"]["attempts"], 0);
  std::string metrics = Get("/metrics").body;
  EXPECT_NE(metrics.find("codekgd_jobs_total{kind=\"ingest\",state=\"cancelled\"} 2"),
            std::string::npos)
      << metrics;
  // The server is fine and the graph can be ingested afterwards.
  EXPECT_EQ(Ingest("shop", kSample).status, 200);
}

// codekgd is SIGKILLed while an ingest job runs and a synthesis job waits behind it. The
// restarted server reports both truthfully: requeued with a note, run again, and finished.
TEST_F(CodekgdOpsTest, KilledMidJobIsResumedAfterRestart) {
  std::string big = MakeBigTree(kBigFiles);
  StartServer({"--job-workers", "1"});
  ASSERT_EQ(Ingest("shop", kSample).status, 200);
  Reply first = PostJson("/v1/graphs/big/ingest", Json{{"path", big}});
  ASSERT_EQ(first.status, 202);
  std::string ingest_id = first.json["job"]["id"];
  Reply second = PostJson("/v1/graphs/shop/synth", Json{{"seed", 9}});
  ASSERT_EQ(second.status, 202);
  std::string synth_id = second.json["job"]["id"];
  Json seen = PollJob(
      ingest_id, [](const Json& j) { return j["state"] == "running" && j["progress"]["done"] > 0; },
      60s, 2ms);
  ASSERT_EQ(seen["state"], "running");
  client_.reset();
  EXPECT_EQ(proc_->SignalAndWait(SIGKILL), 128 + SIGKILL);
  proc_.reset();

  StartServer({"--job-workers", "1"});
  Json job = PollJob(ingest_id, IsFinal);
  EXPECT_EQ(job["state"], "succeeded") << job;
  EXPECT_EQ(job["attempts"], 2) << job;
  ASSERT_FALSE(job["notes"].empty()) << job;
  EXPECT_NE(job["notes"][0].get<std::string>().find("interrupted while running"), std::string::npos)
      << job;
  EXPECT_EQ(job["summary"]["files_seen"], kBigFiles) << job;
  ExpectSameAsCleanIngest("big", big);
  Json synth = PollJob(synth_id, IsFinal);
  EXPECT_EQ(synth["state"], "succeeded") << synth;
  EXPECT_EQ(synth["attempts"], 1) << synth;  // it had not started before the kill
  EXPECT_NE(synth["notes"][0].get<std::string>().find("interrupted while queued"),
            std::string::npos)
      << synth;
  EXPECT_EQ(Get("/v1/jobs/" + synth_id + "/results").status, 200);
}

// SIGTERM with a running job: the server exits 0 promptly, the job stays resumable.
TEST_F(CodekgdOpsTest, SigtermInterruptsAJobThatResumesOnRestart) {
  std::string big = MakeBigTree(kBigFiles);
  StartServer();
  Reply first = PostJson("/v1/graphs/big/ingest", Json{{"path", big}});
  ASSERT_EQ(first.status, 202);
  std::string id = first.json["job"]["id"];
  PollJob(
      id, [](const Json& j) { return j["state"] == "running"; }, 60s, 2ms);
  client_.reset();
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(proc_->SignalAndWait(SIGTERM), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 15s);
  proc_.reset();
  StartServer();
  Json job = PollJob(id, IsFinal);
  EXPECT_EQ(job["state"], "succeeded") << job;
  EXPECT_EQ(job["attempts"], 2) << job;
  ExpectSameAsCleanIngest("big", big);
}

TEST_F(CodekgdOpsTest, ConfigFileAndEnvironmentApply) {
  std::string conf = dir_.path() + "/codekgd.conf";
  std::ofstream(conf) << "# test config\ntoken = from-file\nmax-query-rows = 50\n";
  setenv("CODEKG_MAX_QUERY_ROWS", "5", 1);  // env beats the file
  StartServer({"--config", conf});
  unsetenv("CODEKG_MAX_QUERY_ROWS");
  ExpectError(Ingest("shop", kSample), 403, "permission_denied");
  Reply ok = Post("/v1/graphs/shop/ingest?wait=true", Json{{"path", kSample}}.dump(),
                  {{"Authorization", "Bearer from-file"}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  Json e = ExpectError(Query("shop", "MATCH (c:Class) RETURN c.name", Json{{"limit", 6}}), 400,
                       "invalid_argument");
  EXPECT_NE(e["message"].get<std::string>().find("between 1 and 5"), std::string::npos) << e;
  EXPECT_EQ(Query("shop", "MATCH (c:Class) RETURN c.name", Json{{"limit", 5}}).status, 200);
  // A bad config file stops codekgd with a message instead of starting with defaults.
  std::ofstream(conf) << "port = lots\n";
  std::string error;
  auto bad = testing::CodekgdProcess::Start(
      CODEKGD_PATH, {"--config", conf, "--data", dir_.path() + "/data2"}, &error);
  EXPECT_EQ(bad, nullptr);
}

TEST_F(CodekgdOpsTest, IngestOutsideTheAllowedRootsIs403) {
  StartServer({"--allow-root", kSample});
  Reply ok = Ingest("shop", kSample);
  EXPECT_EQ(ok.status, 200) << ok.body;
  fs::create_directories(dir_.path() + "/elsewhere");
  Json e = ExpectError(Ingest("x", dir_.path() + "/elsewhere"), 403, "permission_denied");
  EXPECT_NE(e["message"].get<std::string>().find("allowed"), std::string::npos) << e;
  // '..' cannot climb out; a sibling whose name merely starts with the root is outside too.
  ExpectError(Ingest("x", kSample + "/../.."), 403, "permission_denied");
  ExpectError(Ingest("x", kSample + "2"), 403, "permission_denied");
  // Watches obey the same rule, and nothing is said about paths outside (no 404 oracle).
  ExpectError(PostJson("/v1/graphs/x/ingest", Json{{"path", "/no/such"}, {"watch", true}}), 403,
              "permission_denied");
}

TEST_F(CodekgdOpsTest, AuthReadsGuardsEverythingButHealthAndMetrics) {
  StartServer({"--token", "t", "--auth-reads"});
  ExpectError(Get("/v1/graphs"), 403, "permission_denied");
  ExpectError(Post("/mcp", R"({"jsonrpc":"2.0","id":1,"method":"ping"})"), 403,
              "permission_denied");
  EXPECT_EQ(Get("/healthz").status, 200);
  EXPECT_EQ(Get("/metrics").status, 200);
  auto r = client_->Get("/v1/graphs", {{"Authorization", "Bearer t"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  r = client_->Get("/v1/graphs", {{"Authorization", "Bearer tt"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_NE(Get("/metrics").body.find("codekgd_request_limit_hits_total{limit=\"auth\"} 3"),
            std::string::npos);
}

TEST_F(CodekgdOpsTest, OpenApiDocumentIsServed) {
  StartServer();
  Reply r = Get("/v1/openapi.json");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
  ASSERT_TRUE(r.json.is_object()) << r.body.substr(0, 200);
  EXPECT_EQ(r.json["openapi"].get<std::string>().substr(0, 2), "3.");
  EXPECT_TRUE(r.json["paths"].contains("/v1/graphs/{graph}/query"));
}

TEST_F(CodekgdOpsTest, WatchReingestsOnChangeAndCanBeStopped) {
  std::string root = dir_.path() + "/watched";
  fs::create_directories(root);
  std::ofstream(root + "/a.py") << "class Alpha:\n    pass\n";
  StartServer();
  Reply w =
      PostJson("/v1/graphs/w/ingest", Json{{"path", root}, {"watch", true}, {"debounce_ms", 50}});
  ASSERT_EQ(w.status, 200) << w.body;
  EXPECT_EQ(w.json["report"]["files_parsed"], 1) << w.body;
  EXPECT_EQ(w.json["watch"]["root"], fs::canonical(root).string());
  const std::string q = "MATCH (c:Class) RETURN c.name ORDER BY c.name";
  EXPECT_EQ(Column(Query("w", q)), (std::vector<std::string>{"Alpha"}));
  // A job on a watched graph is refused; so is a second watch.
  ExpectError(PostJson("/v1/graphs/w/ingest", Json{{"path", root}}), 409, "already_exists");
  ExpectError(PostJson("/v1/graphs/w/ingest", Json{{"path", root}, {"watch", true}}), 409,
              "already_exists");
  std::ofstream(root + "/b.py") << "class Beta:\n    pass\n";
  std::vector<std::string> names;
  for (int i = 0; i < 500 && names.size() < 2; ++i) {
    std::this_thread::sleep_for(20ms);
    names = Column(Query("w", q));
  }
  EXPECT_EQ(names, (std::vector<std::string>{"Alpha", "Beta"}));
  Reply stop = Delete("/v1/graphs/w/watch");
  EXPECT_EQ(stop.status, 200) << stop.body;
  ExpectError(Delete("/v1/graphs/w/watch"), 404, "not_found");
  ExpectError(PostJson("/v1/graphs/w/ingest", Json{{"path", root}, {"debounce_ms", 5}}), 400,
              "invalid_argument");
  // After the stop, ingest jobs work again.
  EXPECT_EQ(Ingest("w", root).status, 200);
}

// Slow clients (slowloris: a request trickling in) are cut off after the read timeout and never
// starve the request threads for long.
TEST_F(CodekgdOpsTest, SlowClientsAreDisconnected) {
  // Each slow connection holds a thread for at most read timeout + keep-alive (2 s here), so with
  // 4 of them on 2 threads a normal request waits about 4 s, not forever.
  StartServer({"--read-timeout-s", "1", "--keep-alive-s", "1", "--threads", "2"});
  std::vector<int> socks;
  for (int i = 0; i < 4; ++i) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(s, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(proc_->port()));
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    ASSERT_EQ(connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    const char* partial = "POST /v1/graphs/shop/query HTTP/1.1\r\nHost: x\r\nContent-Le";
    ASSERT_GT(send(s, partial, strlen(partial), 0), 0);
    socks.push_back(s);
  }
  auto start = std::chrono::steady_clock::now();
  client_->set_read_timeout(std::chrono::seconds(15));
  EXPECT_EQ(Get("/healthz").status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 12s);
  // The slow connections were closed by the server (EOF or reset), not left hanging.
  std::this_thread::sleep_for(1500ms);
  for (int s : socks) {
    timeval tv{5, 0};
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    char buf[512];
    ssize_t n;
    do {
      n = recv(s, buf, sizeof(buf), 0);
    } while (n > 0);  // a 408/400 response may come first
    EXPECT_TRUE(n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) << errno;
    close(s);
  }
  EXPECT_EQ(Get("/healthz").status, 200);
}

TEST_F(CodekgdOpsTest, FsckReportsAConsistentGraph) {
  StartServer();
  ASSERT_EQ(Ingest("shop", kSample).status, 200);
  Reply r = Post("/v1/graphs/shop/fsck", "");
  ASSERT_EQ(r.status, 200) << r.body;
  const Json& f = r.json["fsck"];
  EXPECT_EQ(f["graph"], "shop");
  EXPECT_TRUE(f["ok"].get<bool>()) << r.body;
  EXPECT_TRUE(f["problems"].empty()) << r.body;
  EXPECT_GT(f["nodes"].get<int64_t>(), 50) << r.body;
  EXPECT_GT(f["edges"].get<int64_t>(), 50) << r.body;
  EXPECT_GE(f["files"].get<int64_t>(), 10) << r.body;
  ExpectError(Post("/v1/graphs/nograph/fsck", ""), 404, "not_found");
  ExpectError(PostJson("/v1/graphs/shop/fsck", Json{{"deep", true}}), 400, "invalid_argument");
}

TEST_F(CodekgdOpsTest, WebExplorerIsServedAndOpenWithAuthReads) {
  StartServer({"--token", "t", "--auth-reads"});
  Reply index = Get("/");
  ASSERT_EQ(index.status, 200);
  EXPECT_EQ(index.content_type.rfind("text/html", 0), 0u) << index.content_type;
  EXPECT_NE(index.body.find("<html"), std::string::npos);
  EXPECT_EQ(Get("/ui/app.js").status, 200);
  ExpectError(Get("/ui/nope.js"), 404, "not_found");
  ExpectError(Get("/v1/graphs"), 403, "permission_denied");  // the data stays guarded
}

TEST_F(CodekgdOpsTest, CheckApiReportsEveryReference) {
  StartServer();
  ASSERT_EQ(Ingest("shop", kSample).status, 200);
  Reply r = PostJson(
      "/v1/graphs/shop/check",
      Json{{"code", "from shop.models import GiftCard\nfrom shop.models import GiftCrad\n"}});
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_TRUE(r.json["ok"].is_boolean()) << r.body;
  EXPECT_FALSE(r.json["syntax_error"].get<bool>()) << r.body;
  std::set<std::string> names;
  for (const auto& ref : r.json["references"]) {
    names.insert(ref.value("name", ""));
    std::string status = ref.value("status", "");
    EXPECT_TRUE(status == "resolved" || status == "not_found" || status == "unresolvable") << ref;
    EXPECT_EQ(ref["line"], ref.value("name", "").find("Crad") == std::string::npos ? 1 : 2) << ref;
  }
  EXPECT_EQ(names.count("shop.models.GiftCard"), 1u) << r.body;
  EXPECT_EQ(names.count("shop.models.GiftCrad"), 1u) << r.body;
  Reply broken = PostJson("/v1/graphs/shop/check", Json{{"code", "def f(:\n"}});
  ASSERT_EQ(broken.status, 200) << broken.body;
  EXPECT_TRUE(broken.json["syntax_error"].get<bool>()) << broken.body;
  ExpectError(PostJson("/v1/graphs/shop/check", Json{{"code", ""}}), 400, "invalid_argument");
  ExpectError(PostJson("/v1/graphs/shop/check", Json{{"code", "x"}, {"language", "cobol"}}), 400,
              "invalid_argument");
  ExpectError(PostJson("/v1/graphs/shop/check", Json::object()), 400, "invalid_argument");
  ExpectError(PostJson("/v1/graphs/nograph/check", Json{{"code", "import os"}}), 404, "not_found");
}

// SIGTERM with idle keep-alive connections open: the server exits promptly (it does not wait
// for the keep-alive timeout), and a request in flight still gets its answer.
TEST_F(CodekgdOpsTest, SigtermIsPromptWithIdleKeepAliveConnections) {
  std::string root = MakeBigTree(kBigFiles);
  StartServer({"--keep-alive-s", "30"});
  std::vector<std::unique_ptr<httplib::Client>> idle;
  for (int i = 0; i < 3; ++i) {
    idle.push_back(std::make_unique<httplib::Client>("127.0.0.1", proc_->port()));
    idle.back()->set_keep_alive(true);
    auto r = idle.back()->Get("/healthz");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200);
  }
  // In flight: an ingest waited for; SIGTERM interrupts the job and the request answers.
  int in_flight_status = -1;
  std::thread waiter([&] {
    httplib::Client c("127.0.0.1", proc_->port());
    c.set_read_timeout(std::chrono::seconds(30));
    auto r =
        c.Post("/v1/graphs/big/ingest?wait=true", Json{{"path", root}}.dump(), "application/json");
    in_flight_status = r ? r->status : 0;
  });
  std::this_thread::sleep_for(300ms);
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(proc_->SignalAndWait(SIGTERM), 0);
  auto took = std::chrono::steady_clock::now() - start;
  waiter.join();
  EXPECT_LT(took, 3s) << "SIGTERM took "
                      << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                      << " ms with idle keep-alive connections";
  EXPECT_GT(in_flight_status, 0) << "the request in flight got no answer";
  proc_.reset();
}

// A watch comes back after a restart (its list is persisted); a stopped one does not.
TEST_F(CodekgdOpsTest, WatchesAreRestoredAfterRestart) {
  std::string root = dir_.path() + "/watched";
  std::string other = dir_.path() + "/other";
  fs::create_directories(root);
  fs::create_directories(other);
  std::ofstream(root + "/a.py") << "class Alpha:\n    pass\n";
  std::ofstream(other + "/o.py") << "class Omega:\n    pass\n";
  StartServer();
  ASSERT_EQ(
      PostJson("/v1/graphs/w/ingest", Json{{"path", root}, {"watch", true}, {"debounce_ms", 50}})
          .status,
      200);
  ASSERT_EQ(PostJson("/v1/graphs/o/ingest", Json{{"path", other}, {"watch", true}}).status, 200);
  ASSERT_EQ(Delete("/v1/graphs/o/watch").status, 200);
  client_.reset();
  ASSERT_EQ(proc_->SignalAndWait(SIGTERM), 0);
  proc_.reset();

  // While the server is down, a file appears; the restored watch ingests it at start.
  std::ofstream(root + "/b.py") << "class Beta:\n    pass\n";
  StartServer();
  const std::string q = "MATCH (c:Class) RETURN c.name ORDER BY c.name";
  EXPECT_EQ(Column(Query("w", q)), (std::vector<std::string>{"Alpha", "Beta"}));
  // And later changes too.
  std::ofstream(root + "/c.py") << "class Gamma:\n    pass\n";
  std::vector<std::string> names;
  for (int i = 0; i < 500 && names.size() < 3; ++i) {
    std::this_thread::sleep_for(20ms);
    names = Column(Query("w", q));
  }
  EXPECT_EQ(names, (std::vector<std::string>{"Alpha", "Beta", "Gamma"}));
  ExpectError(PostJson("/v1/graphs/w/ingest", Json{{"path", root}}), 409, "already_exists");
  // The stopped watch stayed stopped: its graph takes ingest jobs.
  EXPECT_EQ(Ingest("o", other).status, 200);
  // A deleted graph's watch is gone for good.
  EXPECT_EQ(Delete("/v1/graphs/w").status, 200);
  client_.reset();
  ASSERT_EQ(proc_->SignalAndWait(SIGTERM), 0);
  proc_.reset();
  StartServer();
  ExpectError(Get("/v1/graphs/w"), 404, "not_found");
  EXPECT_EQ(Ingest("w", root).status, 200);
}

}  // namespace
}  // namespace kg::server
