// IngestOptions' allowed_roots, on_progress and cancelled; the inotify Watcher over a real store.

#include "ingest/watch.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ingest/ingest.h"
#include "storage/graph_store.h"
#include "tests/ingest/test_util.h"

namespace kg::ingest {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::TempDir;

class WatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(db_dir_.path().empty());
    storage::Options options;
    options.sync_writes = false;
    options.block_cache_bytes = 8u << 20;
    auto store = storage::GraphStore::Open((db_dir_.path() / "db").string(), options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }

  bool HasNode(const std::string& id) {
    auto snap = store_->GetSnapshot("g");
    if (!snap.ok()) return false;
    auto key = (*snap)->FindNode(id);
    return key.ok() && key->has_value();
  }

  // Polls `done` until it holds (true) or 10 s pass (false).
  template <typename Pred>
  static bool Eventually(Pred done) {
    for (auto until = std::chrono::steady_clock::now() + 10s;
         std::chrono::steady_clock::now() < until; std::this_thread::sleep_for(10ms)) {
      if (done()) return true;
    }
    return done();
  }

  // Collects reports delivered by a Watcher; Wait() blocks until `n` arrived (or times out).
  struct Reports {
    std::mutex mu;
    std::condition_variable cv;
    std::vector<Result<IngestReport>> got;

    Watcher::ReportFn Fn() {
      return [this](const Result<IngestReport>& r) {
        std::lock_guard<std::mutex> lock(mu);
        got.push_back(r);
        cv.notify_all();
      };
    }
    bool Wait(size_t n, std::chrono::milliseconds timeout = 10s) {
      std::unique_lock<std::mutex> lock(mu);
      return cv.wait_for(lock, timeout, [&] { return got.size() >= n; });
    }
    size_t Count() {
      std::lock_guard<std::mutex> lock(mu);
      return got.size();
    }
  };

  TempDir db_dir_;
  TempDir src_;
  std::unique_ptr<storage::GraphStore> store_;
};

// ---- IngestOptions ----

TEST_F(WatchTest, AllowedRootsAcceptInsideAndRejectOutside) {
  src_.Write("proj/a.py", "def f():\n    pass\n");
  TempDir other;
  IngestOptions options;
  options.allowed_roots = {other.path().string(), src_.path().string()};
  auto inside = IngestPath(*store_, "g", (src_.path() / "proj").string(), options);
  ASSERT_TRUE(inside.ok()) << inside.status().ToString();
  EXPECT_TRUE(HasNode("a.py:f"));

  options.allowed_roots = {other.path().string()};
  auto outside = IngestPath(*store_, "g2", (src_.path() / "proj").string(), options);
  ASSERT_FALSE(outside.ok());
  EXPECT_TRUE(outside.status().IsPermissionDenied()) << outside.status().ToString();
  // Nothing was touched: the graph was not even created.
  EXPECT_FALSE(store_->GetGraph("g2").ok());

  // `..` and symbolic links are resolved before the check.
  fs::create_symlink(src_.path() / "proj", other.path() / "link");
  auto via_link = IngestPath(*store_, "g2", (other.path() / "link").string(), options);
  EXPECT_TRUE(via_link.status().IsPermissionDenied()) << via_link.status().ToString();
  auto dotdot =
      IngestPath(*store_, "g2", (other.path() / ".." / src_.path().filename()).string(), options);
  EXPECT_TRUE(dotdot.status().IsPermissionDenied()) << dotdot.status().ToString();
  // A prefix of a name is not a parent folder.
  options.allowed_roots = {(src_.path() / "pro").string()};
  fs::create_directories(src_.path() / "pro");
  auto prefix = IngestPath(*store_, "g2", (src_.path() / "proj").string(), options);
  EXPECT_TRUE(prefix.status().IsPermissionDenied()) << prefix.status().ToString();
  EXPECT_TRUE(
      CheckAllowedRoot((src_.path() / "missing").string(), {src_.path().string()}).IsNotFound());
}

TEST_F(WatchTest, ProgressCountsEveryFileAndEndsAtTotal) {
  for (int i = 0; i < 12; ++i) src_.Write("m" + std::to_string(i) + ".py", "x = 1\n");
  std::mutex mu;
  std::vector<std::pair<uint64_t, uint64_t>> calls;
  IngestOptions options;
  options.threads = 3;
  options.on_progress = [&](uint64_t done, uint64_t total) {
    std::lock_guard<std::mutex> lock(mu);
    calls.emplace_back(done, total);
  };
  auto report = IngestPath(*store_, "g", src_.path().string(), options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(calls.size(), 13u);  // one per file, then the final (total, total)
  for (size_t i = 0; i + 1 < calls.size(); ++i) {
    EXPECT_EQ(calls[i].first, i + 1);  // serialized: strictly counting up
    EXPECT_EQ(calls[i].second, 12u);
  }
  EXPECT_EQ(calls.back(), std::make_pair(uint64_t{12}, uint64_t{12}));
}

TEST_F(WatchTest, CancelledStopsBeforeWritingAndReturnsCancelled) {
  for (int i = 0; i < 40; ++i) src_.Write("m" + std::to_string(i) + ".py", "def f():\n    pass\n");
  std::atomic<int> polls{0};
  IngestOptions options;
  options.threads = 1;
  options.cancelled = [&] { return ++polls > 5; };
  auto report = IngestPath(*store_, "g", src_.path().string(), options);
  ASSERT_FALSE(report.ok());
  EXPECT_TRUE(report.status().IsCancelled()) << report.status().ToString();
  EXPECT_LT(polls.load(), 12);  // it stopped soon after the first true
  EXPECT_FALSE(HasNode("m0.py:f"));

  // The next, uncancelled run ingests everything.
  auto again = IngestPath(*store_, "g", src_.path().string());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->files_parsed, 40u);
  EXPECT_TRUE(HasNode("m39.py:f"));
}

// ---- Watcher ----

TEST_F(WatchTest, ChangesOnDiskShowUpAfterTheDebounce) {
  src_.Write("a.py", "def old():\n    pass\n");
  Reports reports;
  auto watcher = Watcher::Start(*store_, "g", src_.path().string(), {}, 100, reports.Fn());
  ASSERT_TRUE(watcher.ok()) << watcher.status().ToString();
  ASSERT_EQ(reports.Count(), 1u);  // the initial ingest
  EXPECT_TRUE(HasNode("a.py:old"));

  src_.Write("a.py", "def new():\n    pass\n");
  ASSERT_TRUE(reports.Wait(2));
  ASSERT_TRUE(reports.got[1].ok()) << reports.got[1].status().ToString();
  EXPECT_EQ(reports.got[1]->files_parsed, 1u);
  EXPECT_TRUE(HasNode("a.py:new"));
  EXPECT_FALSE(HasNode("a.py:old"));

  // A new sub-folder is watched too; a file written inside it later is picked up.
  fs::create_directories(src_.path() / "pkg" / "sub");
  ASSERT_TRUE(reports.Wait(3));
  std::this_thread::sleep_for(200ms);  // let the new folders' watches settle
  src_.Write("pkg/sub/b.py", "class B:\n    pass\n");
  EXPECT_TRUE(Eventually([&] { return HasNode("pkg/sub/b.py:B"); }));

  // Deleting a file removes its facts.
  fs::remove(src_.path() / "a.py");
  EXPECT_TRUE(Eventually([&] { return !HasNode("a.py:new"); }));
  (*watcher)->Stop();
  for (const auto& r : reports.got) EXPECT_TRUE(r.ok()) << r.status().ToString();
}

TEST_F(WatchTest, OnReportIsOneObjectAcrossTheInitialAndLaterReports) {
  // A stateful on_report (codekgd's keeps the initial report only on its first call): the
  // watcher thread must call the very object that saw the initial report, not a copy.
  src_.Write("a.py", "X = 1\n");
  std::mutex mu;
  std::condition_variable cv;
  std::vector<int> calls;  // the object's own call counter at each call
  Watcher::ReportFn fn = [&, n = 0](const Result<IngestReport>&) mutable {
    std::lock_guard<std::mutex> lock(mu);
    calls.push_back(n++);
    cv.notify_all();
  };
  auto watcher = Watcher::Start(*store_, "g", src_.path().string(), {}, 50, std::move(fn));
  ASSERT_TRUE(watcher.ok()) << watcher.status().ToString();
  src_.Write("a.py", "X = 2\n");
  {
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, 10s, [&] { return calls.size() >= 2; }));
  }
  (*watcher)->Stop();
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(calls[0], 0);
  EXPECT_EQ(calls[1], 1);  // was 0: the thread ran a copy made before the initial report
}

TEST_F(WatchTest, BurstOfWritesGivesOneIngestAndIrrelevantFilesNone) {
  src_.Write("a.py", "x = 0\n");
  Reports reports;
  auto watcher = Watcher::Start(*store_, "g", src_.path().string(), {}, 400, reports.Fn());
  ASSERT_TRUE(watcher.ok()) << watcher.status().ToString();
  src_.Write("notes.bin", "ignored");           // not an ingested file
  src_.Write("__pycache__/a.cpython.pyc", "");  // inside an excluded folder (not watched)
  for (int i = 1; i <= 5; ++i) {
    src_.Write("a.py", "x = " + std::to_string(i) + "\n");
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_TRUE(reports.Wait(2));
  std::this_thread::sleep_for(600ms);  // longer than the debounce: no second round comes
  EXPECT_EQ(reports.Count(), 2u);
  ASSERT_TRUE(reports.got[1].ok());
  EXPECT_EQ(reports.got[1]->files_parsed, 1u);
}

TEST_F(WatchTest, StopIsPromptWithAPendingDebounce) {
  src_.Write("a.py", "x = 0\n");
  Reports reports;
  auto watcher = Watcher::Start(*store_, "g", src_.path().string(), {}, 30000, reports.Fn());
  ASSERT_TRUE(watcher.ok()) << watcher.status().ToString();
  src_.Write("a.py", "x = 1\n");
  std::this_thread::sleep_for(50ms);
  auto t0 = std::chrono::steady_clock::now();
  (*watcher)->Stop();
  (*watcher)->Stop();  // idempotent
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
  EXPECT_EQ(reports.Count(), 1u);  // the debounced ingest never ran
  watcher->reset();                // the destructor after Stop() is fine
}

TEST_F(WatchTest, StartErrors) {
  Reports reports;
  auto missing =
      Watcher::Start(*store_, "g", (src_.path() / "nope").string(), {}, 10, reports.Fn());
  EXPECT_TRUE(missing.status().IsNotFound()) << missing.status().ToString();
  auto file = Watcher::Start(*store_, "g", src_.Write("f.py", "").string(), {}, 10, reports.Fn());
  EXPECT_TRUE(file.status().IsInvalidArgument()) << file.status().ToString();
  auto negative = Watcher::Start(*store_, "g", src_.path().string(), {}, -1, reports.Fn());
  EXPECT_TRUE(negative.status().IsInvalidArgument());
  TempDir other;
  IngestOptions options;
  options.allowed_roots = {other.path().string()};
  auto denied = Watcher::Start(*store_, "g", src_.path().string(), options, 10, reports.Fn());
  EXPECT_TRUE(denied.status().IsPermissionDenied()) << denied.status().ToString();
  EXPECT_EQ(reports.Count(), 0u);
}

}  // namespace
}  // namespace kg::ingest
