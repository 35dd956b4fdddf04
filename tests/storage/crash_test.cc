// Durability under SIGKILL: a child process (storage_crash_writer) writes generations of
// batches with sync_writes and reports each acknowledged one through a pipe; the parent kills it
// at a random moment, reopens the store and checks that every acknowledged generation is there
// whole (each file holds exactly the facts of its last acknowledged generation, or of the one
// generation in flight), nothing is half-applied, and Fsck finds no problem. Repeats
// CODEKG_CRASH_ITERATIONS times (default 30).

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <thread>

#include "storage/graph_store.h"
#include "tests/storage/crash_workload.h"
#include "tests/storage/temp_dir.h"

namespace kg::storage {
namespace {

using crash::kFiles;
using crash::kGraph;

int Iterations() {
  const char* env = std::getenv("CODEKG_CRASH_ITERATIONS");
  int n = env != nullptr ? std::atoi(env) : 0;
  return n > 0 ? n : 30;
}

// Reads whole 8-byte generation numbers from `fd` until EOF, or only `max` of them; returns the
// last one (or `last` if none was read).
std::optional<uint64_t> DrainAcks(int fd, std::optional<uint64_t> last, uint64_t* count,
                                  uint64_t max = UINT64_MAX) {
  unsigned char buf[8];
  size_t have = 0;
  for (uint64_t read = 0; read < max;) {
    ssize_t n = ::read(fd, buf + have, sizeof(buf) - have);
    if (n <= 0) break;
    have += static_cast<size_t>(n);
    if (have == 8) {
      ++read;
      uint64_t gen = 0;
      for (int i = 0; i < 8; ++i) gen |= uint64_t{buf[i]} << (8 * i);
      if (last) {
        EXPECT_EQ(gen, *last + 1) << "acks out of order";
      }
      last = gen;
      ++*count;
      have = 0;
    }
  }
  return last;
}

// The generation a file holds after the writes up to `gen`: nullopt = no file.
using FileState = std::optional<uint64_t>;

void Apply(std::map<std::string, FileState>* model, uint64_t gen) {
  (*model)[crash::PathOf(gen)] = crash::IsDelete(gen) ? FileState() : FileState(gen);
}

// Whether the stored file `path` is exactly generation `want` (or absent when nullopt).
::testing::AssertionResult FileIs(GraphStore& store, Snapshot& snap, const std::string& path,
                                  FileState want) {
  auto file = snap.GetFile(path);
  if (!file.ok()) return ::testing::AssertionFailure() << file.status().ToString();
  auto nodes = snap.ScanPathPrefix(path);
  std::vector<NodeKey> keys;
  NodeKey k = 0;
  while (nodes->Next(&k)) keys.push_back(k);
  if (!nodes->status().ok()) return ::testing::AssertionFailure() << nodes->status().ToString();
  if (!want) {
    if (file->has_value()) return ::testing::AssertionFailure() << path << " exists";
    if (!keys.empty()) return ::testing::AssertionFailure() << path << " has nodes";
    return ::testing::AssertionSuccess();
  }
  if (!file->has_value()) return ::testing::AssertionFailure() << path << " missing";
  if ((*file)->content_hash != crash::Hash(*want)) {
    return ::testing::AssertionFailure() << path << " holds " << (*file)->content_hash;
  }
  if (keys.size() != static_cast<size_t>(crash::NodeCount(*want))) {
    return ::testing::AssertionFailure()
           << path << " has " << keys.size() << " nodes, want " << crash::NodeCount(*want);
  }
  for (NodeKey key : keys) {
    auto n = snap.GetNode(key);
    if (!n.ok() || !n->has_value()) return ::testing::AssertionFailure() << "node " << key;
    auto g = (*n)->props.find("gen");
    if (g == (*n)->props.end() || g->second.as_int() != static_cast<int64_t>(*want)) {
      return ::testing::AssertionFailure() << (*n)->id << " from another generation";
    }
  }
  auto text = snap.GetFileText(path);
  if (!text.ok() || text->size() != 100 + *want % 400) {
    return ::testing::AssertionFailure() << path << " text";
  }
  (void)store;
  return ::testing::AssertionSuccess();
}

TEST(CrashTest, AcknowledgedBatchesSurviveSigkill) {
  TempDir dir;
  const std::string db = dir.sub("db");
  const std::string writer = std::string(CODEKG_BINARY_DIR) + "/tests/storage/storage_crash_writer";
  const int iterations = Iterations();
  std::mt19937 rng(
      static_cast<uint32_t>(std::chrono::steady_clock::now().time_since_epoch().count()));
  std::map<std::string, FileState> model;  // durable state as far as the parent knows
  uint64_t next_gen = 0, total_acks = 0;
  std::optional<uint64_t> observed_progress;
  int killed_mid_run = 0;
  for (int iter = 0; iter < iterations; ++iter) {
    SCOPED_TRACE("iteration " + std::to_string(iter));
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::dup2(fds[1], STDOUT_FILENO);
      ::close(fds[0]);
      ::close(fds[1]);
      std::string first = std::to_string(next_gen);
      ::execl(writer.c_str(), writer.c_str(), db.c_str(), first.c_str(), nullptr);
      ::_exit(127);
    }
    ::close(fds[1]);
    // Kill at a random moment: every fourth time anywhere from its start (also while it opens
    // the store), otherwise within 150 ms after its first acknowledged write.
    uint64_t acks = 0;
    std::optional<uint64_t> last =
        next_gen == 0 ? std::nullopt : std::optional<uint64_t>(next_gen - 1);
    if (iter % 4 != 0) last = DrainAcks(fds[0], last, &acks, /*max=*/1);
    const int delay_ms = static_cast<int>(rng() % (iter % 4 == 0 ? 500 : 150));
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status)) << "writer exited by itself, status " << status;
    last = DrainAcks(fds[0], last, &acks);
    ::close(fds[0]);
    total_acks += acks;
    if (acks > 0) ++killed_mid_run;
    for (uint64_t g = next_gen; acks > 0 && g <= *last; ++g) Apply(&model, g);
    const uint64_t in_flight = acks > 0 ? *last + 1 : next_gen;

    Options options;
    options.sync_writes = true;
    auto store = GraphStore::Open(db, options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto graph = (*store)->GetGraph(kGraph);
    if (!graph.ok()) {
      // Killed before the graph was created (nothing acknowledged yet).
      ASSERT_EQ(total_acks, 0u);
      continue;
    }
    auto snap = (*store)->GetSnapshot(kGraph);
    ASSERT_TRUE(snap.ok());
    // The generation in flight may or may not have become durable: whole, or not at all.
    std::map<std::string, FileState> with_in_flight = model;
    Apply(&with_in_flight, in_flight);
    bool took_in_flight = false;
    for (int f = 0; f < kFiles; ++f) {
      const std::string path = "f" + std::to_string(f) + ".py";
      if (path != crash::PathOf(in_flight)) {
        EXPECT_TRUE(FileIs(**store, **snap, path, model[path]));
        continue;
      }
      auto before = FileIs(**store, **snap, path, model[path]);
      auto after = FileIs(**store, **snap, path, with_in_flight[path]);
      EXPECT_TRUE(before || after) << before.message() << " / " << after.message();
      took_in_flight = !before && after;
    }
    auto progress = (*store)->GetJob("progress");
    ASSERT_TRUE(progress.ok());
    if (acks > 0) {
      // The job record of the last acknowledged generation, or of the one in flight.
      ASSERT_TRUE(progress->has_value());
      uint64_t p = std::stoull(**progress);
      EXPECT_TRUE(p == in_flight - 1 || p == in_flight) << p << " vs in-flight " << in_flight;
      observed_progress = p;
    } else if (progress->has_value()) {
      // Nothing acknowledged: what the last check saw, or the generation in flight.
      uint64_t p = std::stoull(**progress);
      EXPECT_TRUE(p == in_flight || (observed_progress && p == *observed_progress))
          << p << " vs in-flight " << in_flight;
      observed_progress = p;
    }
    auto report = (*store)->Fsck(kGraph);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    EXPECT_TRUE(report->ok()) << report->problems.front();
    if (took_in_flight) model = with_in_flight;
    // The next writer continues after the in-flight generation, whatever became of it.
    next_gen = in_flight + 1;
    if (HasFailure()) break;
  }
  std::printf("crash test: %d kills, %d during writes, %llu acknowledged generations checked\n",
              iterations, killed_mid_run, static_cast<unsigned long long>(total_acks));
  EXPECT_GT(killed_mid_run, 0);
}

// A bulk load into an empty graph killed at a random moment leaves the graph empty or complete,
// never partial (FORMAT.md "Bulk loads"), and leaves no temporary files after reopening.
TEST(CrashTest, FreshBulkLoadIsAllOrNothingUnderSigkill) {
  TempDir dir;
  const std::string db = dir.sub("db");
  const std::string writer = std::string(CODEKG_BINARY_DIR) + "/tests/storage/storage_crash_writer";
  const int iterations = std::max(4, Iterations() / 3);
  std::mt19937 rng(
      static_cast<uint32_t>(std::chrono::steady_clock::now().time_since_epoch().count()));
  const uint64_t want_nodes = uint64_t{crash::kBulkFiles} * crash::kBulkNodesPerFile;
  int empty = 0, complete = 0, absent = 0;
  int max_delay_ms = 400;
  for (int iter = 0; iter < iterations; ++iter) {
    SCOPED_TRACE("iteration " + std::to_string(iter));
    const std::string graph = "bulk" + std::to_string(iter);
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::dup2(fds[1], STDOUT_FILENO);
      ::close(fds[0]);
      ::close(fds[1]);
      // Odd iterations spill runs, so that Finish() ingests SST files.
      ::execl(writer.c_str(), writer.c_str(), db.c_str(), "bulk", graph.c_str(),
              iter % 2 == 1 ? "spill" : nullptr, nullptr);
      ::_exit(127);
    }
    ::close(fds[1]);
    const auto start = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % max_delay_ms));
    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status)) << "writer exited by itself, status " << status;
    uint64_t acks = 0;
    DrainAcks(fds[0], std::nullopt, &acks);
    ::close(fds[0]);
    // Aim the kills at the load: when it finished every time, kill sooner; when it never did,
    // later.
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    if (acks > 0) max_delay_ms = std::max(50, static_cast<int>(took.count()));
    if (acks == 0 && iter % 2 == 1) max_delay_ms += max_delay_ms / 2;

    Options options;
    options.sync_writes = true;
    auto store = GraphStore::Open(db, options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    for (const auto& entry : std::filesystem::directory_iterator(db)) {
      EXPECT_EQ(entry.path().filename().string().rfind("bulk-tmp", 0), std::string::npos)
          << entry.path() << " left behind";
    }
    auto info = (*store)->GetGraph(graph);
    if (!info.ok()) {
      ASSERT_TRUE(info.status().IsNotFound()) << info.status().ToString();
      ASSERT_EQ(acks, 0u);
      ++absent;
      continue;
    }
    if (acks > 0) {
      EXPECT_EQ(info->node_count, want_nodes);
    } else {
      EXPECT_TRUE(info->node_count == 0 || info->node_count == want_nodes) << info->node_count;
    }
    ++(info->node_count == 0 ? empty : complete);
    EXPECT_EQ(info->file_count, info->node_count == 0 ? 0u : uint64_t{crash::kBulkFiles});
    auto report = (*store)->Fsck(graph);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    EXPECT_TRUE(report->ok()) << report->problems.front();
    if (HasFailure()) break;
  }
  std::printf(
      "bulk crash test: %d kills: %d before the graph existed, %d left it empty, %d "
      "complete\n",
      iterations, absent, empty, complete);
}

}  // namespace
}  // namespace kg::storage
