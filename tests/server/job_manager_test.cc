// JobStore and JobManager over a real RocksDB GraphStore in a temp folder: job records,
// progress, cancellation, and recovery of jobs interrupted by a shutdown.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "server/job_manager.h"
#include "server/job_store.h"
#include "server/metrics.h"
#include "storage/graph_store.h"
#include "tests/server/codekgd_process.h"

namespace kg::server {
namespace {

using testing::TempDir;
using namespace std::chrono_literals;

class JobManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    Open();
  }
  void Open() {
    auto store = storage::GraphStore::Open(dir_.path() + "/db", storage::Options());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    auto jobs = JobStore::Open(store_.get(), dir_.path() + "/jobs");
    ASSERT_TRUE(jobs.ok()) << jobs.status().ToString();
    jobs_ = std::move(jobs).value();
  }
  void Close() {
    manager_.reset();
    jobs_.reset();
    store_.reset();
  }
  // A manager whose "count" jobs count to request.n, reporting progress, and whose "spin" jobs
  // run until cancelled (or until `release_` is set, when they succeed).
  // `keep` is the retention (0 keeps every job).
  void StartManager(bool with_spin = true, size_t keep = 0) {
    manager_ = std::make_unique<JobManager>(*jobs_, metrics_, 2, keep);
    manager_->RegisterKind("count", [](JobControl& c) -> Result<Json> {
      uint64_t n = c.job().request.value("n", uint64_t{0});
      for (uint64_t i = 1; i <= n; ++i) c.SetProgress(i, n);
      return Json{{"counted", n}};
    });
    manager_->RegisterKind("write", [](JobControl& c) -> Result<Json> {
      std::ofstream(c.store().ResultsPath(c.job().id)) << "{\"line\": 1}\n";
      c.SetHasResults(true);
      return Json::object();
    });
    if (with_spin) {
      manager_->RegisterKind("spin", [this](JobControl& c) -> Result<Json> {
        ++spins_started_;
        uint64_t i = 0;
        while (!c.Cancelled()) {
          if (release_) return Json{{"attempt", c.job().attempts}};
          c.SetProgress(++i % 10, 10);
          std::this_thread::sleep_for(1ms);
        }
        return Status::Cancelled("stopped");
      });
    }
    ASSERT_TRUE(manager_->Start().ok());
  }
  // Waits until job `id` is running (or 10 s pass).
  void WaitRunning(const std::string& id) {
    for (int i = 0; i < 1000; ++i) {
      auto j = manager_->Get(id);
      if (j.ok() && j->state == "running") return;
      std::this_thread::sleep_for(10ms);
    }
    FAIL() << "job " << id << " never ran";
  }

  TempDir dir_;
  Metrics metrics_;
  std::unique_ptr<storage::GraphStore> store_;
  std::unique_ptr<JobStore> jobs_;
  std::unique_ptr<JobManager> manager_;
  std::atomic<int> spins_started_{0};
  std::atomic<bool> release_{false};
};

TEST_F(JobManagerTest, StoreRecordsRoundTripAndRejectBadIds) {
  auto a = jobs_->Create("synth", "shop", Json{{"seed", 1}});
  auto b = jobs_->Create("ingest", "shop", Json{{"path", "/x"}});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->id, b->id);
  EXPECT_TRUE(JobStore::IsValidJobId(a->id));
  EXPECT_EQ(a->state, "queued");
  b->state = "succeeded";
  b->summary = Json{{"files_parsed", 3}};
  ASSERT_TRUE(jobs_->Save(&b.value()).ok());
  auto got = jobs_->Get(b->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->state, "succeeded");
  EXPECT_EQ(got->summary["files_parsed"], 3);
  EXPECT_GT(got->finished_ms, 0);
  auto all = jobs_->List();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  for (const char* bad : {"", "../etc/passwd", "a/b", "no_such_job"}) {
    auto r = jobs_->Get(bad);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.status().IsNotFound()) << bad;
  }
  // A damaged record is Corruption, not a crash, and List() skips it.
  ASSERT_TRUE(store_->PutJob("job_broken", "{not json").ok());
  auto broken = jobs_->Get("job_broken");
  ASSERT_FALSE(broken.ok());
  EXPECT_TRUE(broken.status().IsCorruption());
  EXPECT_EQ(jobs_->List()->size(), 2u);
}

TEST_F(JobManagerTest, JobsRunWithProgressAndPersistTheirOutcome) {
  StartManager();
  auto job = manager_->Submit("count", "g", Json{{"n", 500}});
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  auto done = manager_->Wait(job->id, 10s);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->state, "succeeded");
  EXPECT_EQ(done->summary["counted"], 500);
  EXPECT_EQ(done->attempts, 1);
  EXPECT_EQ(done->progress["done"], 500);
  EXPECT_EQ(done->progress["total"], 500);
  EXPECT_EQ(done->progress["eta_s"], 0);
  auto stored = jobs_->Get(job->id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->state, "succeeded");
  EXPECT_FALSE(manager_->Submit("nope", "g", Json::object()).ok());
  auto unknown = manager_->Get("job_unknown");
  EXPECT_TRUE(!unknown.ok() && unknown.status().IsNotFound());
}

TEST_F(JobManagerTest, CancelStopsRunningAndQueuedJobs) {
  StartManager();
  // Two workers: two spins run, the third waits in the queue.
  auto a = manager_->Submit("spin", "g", Json::object());
  auto b = manager_->Submit("spin", "g", Json::object());
  auto c = manager_->Submit("spin", "g", Json::object());
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  WaitRunning(a->id);
  WaitRunning(b->id);
  auto live = manager_->Get(a->id);
  ASSERT_TRUE(live.ok());
  EXPECT_TRUE(live->progress.contains("rate") && live->progress.contains("eta_s"));
  EXPECT_EQ(manager_->Get(c->id)->state, "queued");
  EXPECT_EQ(manager_->ActiveCounts(), (std::pair<size_t, size_t>{1, 2}));

  auto cancelled_queued = manager_->Cancel(c->id);
  ASSERT_TRUE(cancelled_queued.ok());
  EXPECT_EQ(cancelled_queued->state, "cancelled");
  ASSERT_TRUE(manager_->Cancel(a->id).ok());
  auto a_done = manager_->Wait(a->id, 10s);
  ASSERT_TRUE(a_done.ok());
  EXPECT_EQ(a_done->state, "cancelled");
  EXPECT_EQ(a_done->error["code"], "cancelled");
  EXPECT_EQ(jobs_->Get(a->id)->state, "cancelled");
  release_ = true;
  EXPECT_EQ(manager_->Wait(b->id, 10s)->state, "succeeded");
  // Cancelling a finished job changes nothing.
  EXPECT_EQ(manager_->Cancel(b->id)->state, "succeeded");
  EXPECT_EQ(spins_started_.load(), 2);
  EXPECT_NE(
      metrics_.RenderPrometheus().find("codekgd_jobs_total{kind=\"spin\",state=\"cancelled\"} 2"),
      std::string::npos);
}

TEST_F(JobManagerTest, ShutdownInterruptsAndTheNextStartResumes) {
  StartManager();
  auto a = manager_->Submit("spin", "g", Json::object());
  auto b = manager_->Submit("spin", "g", Json::object());
  auto q = manager_->Submit("count", "g", Json{{"n", 3}});
  ASSERT_TRUE(a.ok() && b.ok() && q.ok());
  WaitRunning(a->id);
  WaitRunning(b->id);
  manager_->Shutdown();
  // Interrupted jobs stay unfinished in the store, the queued one stays queued.
  EXPECT_EQ(jobs_->Get(a->id)->state, "running");
  EXPECT_EQ(jobs_->Get(q->id)->state, "queued");
  EXPECT_FALSE(manager_->Submit("count", "g", Json::object()).ok());

  // Reopen everything, as a restarted server does; this time the spins succeed.
  Close();
  Open();
  release_ = true;
  StartManager();
  for (const auto& id : {a->id, b->id, q->id}) {
    auto r = manager_->Wait(id, 10s);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->state, "succeeded") << id;
    ASSERT_FALSE(r->notes.empty()) << id;
    EXPECT_NE(r->notes.back().get<std::string>().find("requeued at startup"), std::string::npos)
        << r->notes.dump();
  }
  EXPECT_EQ(manager_->Get(a->id)->attempts, 2);
  EXPECT_EQ(manager_->Get(a->id)->summary["attempt"], 2);
  EXPECT_EQ(manager_->Get(q->id)->attempts, 1);
}

TEST_F(JobManagerTest, InterruptedJobOfAnUnknownKindIsMarkedFailed) {
  StartManager();
  auto a = manager_->Submit("spin", "g", Json::object());
  ASSERT_TRUE(a.ok());
  WaitRunning(a->id);
  Close();
  Open();
  StartManager(/*with_spin=*/false);
  auto r = manager_->Get(a->id);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->state, "failed");
  EXPECT_EQ(r->error["code"], "not_supported");
}

TEST_F(JobManagerTest, RetentionKeepsTheMostRecentlyFinishedJobsAndTheirResults) {
  namespace fs = std::filesystem;
  const std::string folder = dir_.path() + "/jobs";
  // Left by a kill between deleting a record and its file, and a file that is not a job's.
  std::ofstream(folder + "/job_000000000000deadbeef.jsonl") << "{}\n";
  std::ofstream(folder + "/README.txt") << "not a job\n";
  StartManager(/*with_spin=*/true, /*keep=*/3);
  EXPECT_FALSE(fs::exists(folder + "/job_000000000000deadbeef.jsonl"));  // pruned at Start()
  EXPECT_TRUE(fs::exists(folder + "/README.txt"));
  auto spin = manager_->Submit("spin", "g", Json::object());  // running: never pruned
  ASSERT_TRUE(spin.ok());
  WaitRunning(spin->id);
  std::vector<std::string> ids;
  for (int i = 0; i < 6; ++i) {
    auto job = manager_->Submit("write", "g", Json::object());
    ASSERT_TRUE(job.ok()) << job.status().ToString();
    auto done = manager_->Wait(job->id, 10s);
    ASSERT_TRUE(done.ok());
    ASSERT_EQ(done->state, "succeeded");
    ids.push_back(job->id);
    std::this_thread::sleep_for(2ms);  // distinct finish times
  }
  for (int i = 0; i < 6; ++i) {
    bool kept = i >= 3;
    auto got = manager_->Get(ids[i]);
    EXPECT_EQ(got.ok(), kept) << i;
    if (!kept) {
      EXPECT_TRUE(got.status().IsNotFound()) << i;
    }
    EXPECT_EQ(fs::exists(jobs_->ResultsPath(ids[i])), kept) << i;
  }
  auto all = manager_->List();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 4u);  // three finished + the running spin
  auto running = manager_->Get(spin->id);
  ASSERT_TRUE(running.ok());
  EXPECT_EQ(running->state, "running");
  EXPECT_TRUE(fs::exists(folder + "/README.txt"));
  // Delete of an unknown or malformed id is a no-op.
  EXPECT_TRUE(jobs_->Delete("job_unknown").ok());
  EXPECT_TRUE(jobs_->Delete("../x").ok());
  release_ = true;
  ASSERT_TRUE(manager_->Wait(spin->id, 10s).ok());
}

}  // namespace
}  // namespace kg::server
