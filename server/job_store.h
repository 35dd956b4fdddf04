#pragma once
// JobStore: durable records of ingest and synthesis jobs.
//
// Records are JSON kept in the database's job records (storage::GraphStore::PutJob and friends,
// synced on every write, so an acknowledged state survives kill -9). Results stay as files in
// the jobs folder (`<data_dir>/jobs`):
//   <id>.jsonl.partial   results while the job runs (complete lines are the records delivered)
//   <id>.jsonl           results once the job succeeded (renamed from .partial)
//
// Job states: "queued" -> "running" -> "succeeded" | "failed" | "cancelled". A record still
// "queued" or "running" when the server starts was interrupted; the JobManager resumes it.
//
// Thread-safety: all methods may be called concurrently; callers serialize writes of one job.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "server/api.h"
#include "storage/graph_store.h"

namespace kg::server {

struct JobRecord {
  std::string id;
  std::string kind;  // "ingest" or "synth"
  std::string graph;
  std::string state;               // "queued", "running", "succeeded", "failed" or "cancelled"
  int64_t created_ms = 0;          // Unix epoch milliseconds
  int64_t started_ms = 0;          // when the current attempt started running; 0 while queued
  int64_t finished_ms = 0;         // 0 until the state is final
  int attempts = 0;                // runs started (> 1 after a restart resumed the job)
  Json request = Json::object();   // the parameters the job runs with
  Json summary = Json::object();   // kind-specific summary once succeeded
  Json error = nullptr;            // {"code", "message"} once failed or cancelled
  Json progress = Json::object();  // {"done", "total"} last checkpointed (units: see api.md)
  Json notes = Json::array();      // strings: e.g. "resumed after a restart at record 12"
  bool has_results = false;        // `<id>.jsonl` holds the results

  bool IsFinal() const;
  // The record as served by GET /v1/jobs/{id} and as stored.
  Json ToJson() const;
};

class JobStore {
 public:
  // Uses the job records of `store` (not owned; must outlive the JobStore) and the results folder
  // `dir` (created). IOError when the folder cannot be created.
  static Result<std::unique_ptr<JobStore>> Open(storage::GraphStore* store, const std::string& dir);

  JobStore(const JobStore&) = delete;
  JobStore& operator=(const JobStore&) = delete;

  // A new job in state "queued" with a fresh unique id, persisted. IOError on write failure.
  Result<JobRecord> Create(std::string_view kind, std::string_view graph, Json request);

  // Persists `job` (after the caller changed it); sets finished_ms when the state is final.
  // IOError on write failure.
  Status Save(JobRecord* job);

  // The job `id`. NotFound if unknown (or malformed: ids are [A-Za-z0-9_-]{1,64}); Corruption if
  // its record cannot be parsed.
  Result<JobRecord> Get(std::string_view id) const;

  // Every job, oldest first (ids sort by creation time). Unparseable records are skipped.
  Result<std::vector<JobRecord>> List() const;

  // Removes job `id`: its record first, then its results files (a kill in between leaves only
  // an orphaned file, which Prune() removes). OK if the job does not exist; IOError on failure.
  Status Delete(std::string_view id);

  // Retention: deletes every final job ("succeeded", "failed", "cancelled") but the `keep` most
  // recently finished ones, records and results, plus results files that belong to no record. Jobs
  // still queued or running are never touched. Returns how many jobs were deleted;
  // IOError/Corruption from the store or the folder.
  Result<size_t> Prune(size_t keep);

  // Where the results of job `id` live (final, and while running). REQUIRES: IsValidJobId(id).
  std::string ResultsPath(std::string_view id) const;
  std::string PartialResultsPath(std::string_view id) const;

  static bool IsValidJobId(std::string_view id);

 private:
  JobStore(storage::GraphStore* store, std::string dir) : store_(store), dir_(std::move(dir)) {}

  storage::GraphStore* const store_;
  const std::string dir_;
};

}  // namespace kg::server
