#pragma once
// The ingest daemon mode: watch a folder with inotify and re-ingest it when files change.
//
// A Watcher owns one background thread. It watches every folder under the root that IngestPath
// would walk (IngestOptions::exclude_dirs and skip_hidden_dirs apply; symbolic links are not
// followed), adds folders created later, and after an event on a file IngestPath would ingest
// (IsIngestedPath), a folder appearing or disappearing, or an inotify queue overflow, waits until
// no such event arrived for `debounce_ms` and then runs IngestPath (incremental: only files whose
// hash changed are parsed, deleted files are removed). Events arriving during an ingest start a
// new debounce afterwards.

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/result.h"
#include "ingest/ingest.h"
#include "storage/graph_store.h"

namespace kg::ingest {

class Watcher {
 public:
  using ReportFn = std::function<void(const Result<IngestReport>&)>;

  // Sets up the watches, runs the initial IngestPath(store, graph, root, options) and, when it
  // succeeds, passes its report to `on_report` and starts watching; returns after the initial
  // ingest. Every later ingest's result (report or error; never a Cancelled caused by Stop())
  // goes to the same `on_report` object (not a copy, so a stateful one sees every call), called
  // from the watcher's thread (it must not call Stop() of this watcher). A folder that cannot be
  // watched later (e.g. the inotify watch limit) shows in the next report's `skipped` with reason
  // "cannot watch folder: ...". Errors: those of CheckAllowedRoot and of the initial IngestPath;
  // InvalidArgument for debounce_ms < 0 or a root that is not a folder; IOError/ResourceExhausted
  // when inotify cannot be set up (e.g. the watch limit is reached for the initial folders).
  // REQUIRES: `store` outlives the Watcher; no other IngestPath runs on `graph` meanwhile.
  static Result<std::unique_ptr<Watcher>> Start(storage::GraphStore& store, std::string graph,
                                                std::string root, IngestOptions options,
                                                int debounce_ms, ReportFn on_report);

  // Stops watching: cancels a running ingest (through IngestOptions::cancelled, so it returns
  // after the file in hand) and joins the thread. Idempotent and thread-safe; prompt (does not
  // wait for a debounce).
  void Stop();
  ~Watcher();  // Stop()

  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;

  // The canonical root being watched.
  const std::string& root() const { return root_; }

 private:
  class Impl;
  explicit Watcher(std::unique_ptr<Impl> impl, std::string root);

  std::unique_ptr<Impl> impl_;
  std::string root_;
  std::mutex stop_mu_;
  std::thread thread_;  // GUARDED_BY(stop_mu_) once started
};

}  // namespace kg::ingest
