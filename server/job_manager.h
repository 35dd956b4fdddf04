#pragma once
// JobManager: runs ingest and synthesis jobs asynchronously on a small worker pool, with
// progress, cancellation and restart recovery. Records live in the JobStore (RocksDB).
//
// Lifecycle of a job: Submit() persists it as "queued" and returns at once; a worker marks it
// "running" (attempts + 1), calls the kind's JobRunner, and persists the outcome:
//   runner OK                          -> "succeeded" with the runner's summary
//   Cancel() was called                -> "cancelled" (error.code "cancelled")
//   the server is shutting down        -> stays "running" in the store (interrupted; resumed)
//   any other error                    -> "failed" with {code, message}
// Start() recovers jobs a previous process left "queued" or "running" (a SIGTERM, or a crash):
// they are queued again with a note, and their runner decides how to continue (synthesis
// resumes after the records already written; ingest re-runs, as it is incremental). A job of a
// kind with no runner is marked "failed" with the reason.
//
// Progress is in units chosen by the runner (files for ingest, work units for synthesis) and is
// served as {done, total, rate (units/s over the current attempt), eta_s}; it is checkpointed to
// the store at most once per second while the job runs.
//
// Thread-safety: every public method may be called from any thread.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "server/job_store.h"
#include "server/metrics.h"

namespace kg::server {

class JobManager;

// What a runner sees of its job. Owned by the manager; valid during the runner call.
class JobControl {
 public:
  // The record as the attempt started (id, graph, request, attempts, progress checkpoint).
  const JobRecord& job() const { return job_; }
  // Reports progress; cheap, may be called often and from any thread.
  void SetProgress(uint64_t done, uint64_t total);
  // True once the job should stop (cancelled, or the server is stopping): the runner then
  // returns Status::Cancelled as soon as it can.
  bool Cancelled() const;
  // True when the stop comes from the server shutting down (not from a cancel): the job will be
  // resumed by the next start, so the runner keeps what it needs to resume.
  bool Interrupted() const;
  // Appends a note to the record (persisted with the next checkpoint or the outcome).
  void AddNote(std::string note);
  // Marks that ResultsPath(id) holds results once the job succeeds.
  void SetHasResults(bool has) { has_results_ = has; }
  JobStore& store() { return store_; }

 private:
  friend class JobManager;
  JobControl(JobManager& manager, JobStore& store, JobRecord job)
      : manager_(manager), store_(store), job_(std::move(job)) {}

  JobManager& manager_;
  JobStore& store_;
  JobRecord job_;
  bool has_results_ = false;
  std::atomic<bool> cancel_requested_{false};
};

// Runs one attempt of a job. Returns the summary (stored as the record's `summary`) or an error.
using JobRunner = std::function<Result<Json>(JobControl& control)>;

class JobManager {
 public:
  // `store` and `metrics` must outlive the manager. `workers` >= 1 jobs run at once. Retention:
  // at Start() and after each job ends, JobStore::Prune(keep_finished) deletes all but the
  // `keep_finished` newest final jobs (0 keeps every job).
  JobManager(JobStore& store, Metrics& metrics, int workers, size_t keep_finished = 0);
  ~JobManager();  // Shutdown()
  JobManager(const JobManager&) = delete;
  JobManager& operator=(const JobManager&) = delete;

  // Registers the runner of `kind`. REQUIRES: before Start().
  void RegisterKind(const std::string& kind, JobRunner runner);

  // Recovers interrupted jobs from the store and starts the workers. IOError/Corruption from the
  // store. REQUIRES: called once.
  Status Start();

  // Persists a new "queued" job and queues it. Cancelled if the manager is shutting down;
  // InvalidArgument for a kind with no runner; IOError from the store.
  Result<JobRecord> Submit(const std::string& kind, const std::string& graph, Json request);

  // The job with live progress. NotFound for an unknown id.
  Result<JobRecord> Get(const std::string& id);

  // Every job (oldest first), live ones with live progress.
  Result<std::vector<JobRecord>> List();

  // Blocks until job `id` is final (or the manager shuts down, or `timeout` passes), then returns
  // its record (state may still be "queued"/"running" when it returned early). NotFound.
  Result<JobRecord> Wait(const std::string& id, std::chrono::milliseconds timeout);

  // Cancels job `id`: a queued job becomes "cancelled" at once, a running one is asked to stop
  // (its state turns "cancelled" when its runner returns). A final job is left as it is.
  // Returns the record as of now. NotFound for an unknown id.
  Result<JobRecord> Cancel(const std::string& id);

  // Number of jobs queued and running in this process.
  std::pair<size_t, size_t> ActiveCounts();

  // Stops accepting jobs, asks running jobs to stop (they stay "running" in the store and are
  // resumed by the next Start()), wakes every Wait(), and joins the workers. Idempotent.
  void Shutdown();

 private:
  friend class JobControl;
  struct Active {
    JobRecord record;                     // GUARDED_BY(mu_)
    std::shared_ptr<JobControl> control;  // set while running
    uint64_t done = 0, total = 0;         // GUARDED_BY(mu_)
    std::chrono::steady_clock::time_point started;
    std::chrono::steady_clock::time_point last_checkpoint;
  };

  void WorkerLoop();
  void RunOne(const std::shared_ptr<Active>& active);
  void OnProgress(const std::string& id, uint64_t done, uint64_t total);
  // The record of `a` with live progress. REQUIRES: mu_ held.
  JobRecord LiveRecord(const Active& a) const;
  void Finish(const std::shared_ptr<Active>& active, JobRecord record);
  // Applies the retention policy (a failure is logged: it must not fail the job).
  void Prune();

  JobStore& store_;
  Metrics& metrics_;
  const int workers_count_;
  const size_t keep_finished_;
  std::map<std::string, JobRunner> runners_;
  std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable done_cv_;
  std::map<std::string, std::shared_ptr<Active>> active_;  // GUARDED_BY(mu_)
  std::deque<std::string> queue_;                          // GUARDED_BY(mu_)
  bool started_ = false;                                   // GUARDED_BY(mu_)
  std::atomic<bool> shutting_down_{false};
  std::vector<std::thread> workers_;
  std::mutex shutdown_mu_;  // serializes Shutdown()
};

// {done, total, rate, eta_s} for a record: live values while running, from the checkpoint
// otherwise. `elapsed_s` is the current attempt's running time (0 when unknown).
Json ProgressJson(uint64_t done, uint64_t total, double elapsed_s, bool final);

}  // namespace kg::server
