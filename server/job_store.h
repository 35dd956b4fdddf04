#pragma once
// JobStore: durable records of ingest and synthesis jobs, one JSON file per job.
//
// Layout under the jobs folder (`<data_dir>/jobs`):
//   <id>.json    the JobRecord (written to a temp file and renamed, so never half-written)
//   <id>.jsonl   the job's results (synthesis output), when it has any
// Jobs run synchronously inside the request today; a job found in state "running" when the store
// is opened was interrupted by a stop or crash and is marked "failed" at Open().
//
// Thread-safety: all methods may be called concurrently; distinct jobs never share a file.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "server/api.h"

namespace kg::server {

struct JobRecord {
  std::string id;
  std::string kind;  // "ingest" or "synth"
  std::string graph;
  std::string state;              // "running", "succeeded" or "failed"
  int64_t created_ms = 0;         // Unix epoch milliseconds
  int64_t finished_ms = 0;        // 0 while running
  Json request = Json::object();  // the parameters the job ran with
  Json summary = Json::object();  // kind-specific summary once succeeded
  Json error = nullptr;           // {"code", "message"} once failed
  bool has_results = false;       // `<id>.jsonl` holds the results

  // The record as served by GET /v1/jobs/{id}.
  Json ToJson() const;
};

class JobStore {
 public:
  // Opens (creating) the folder `dir`. IOError when it cannot be created or read.
  static Result<std::unique_ptr<JobStore>> Open(const std::string& dir);

  JobStore(const JobStore&) = delete;
  JobStore& operator=(const JobStore&) = delete;

  // A new job in state "running" with a fresh unique id, persisted. IOError on write failure.
  Result<JobRecord> Create(std::string_view kind, std::string_view graph, Json request);

  // Persists `job` (after the caller set state/summary/error/has_results); sets finished_ms when
  // the state is final. IOError on write failure.
  Status Save(JobRecord* job);

  // The job `id`. NotFound if unknown (or malformed: ids are [A-Za-z0-9_-]{1,64}); Corruption if
  // its record cannot be parsed.
  Result<JobRecord> Get(std::string_view id) const;

  // Where the results of job `id` live (the file may not exist). REQUIRES: IsValidJobId(id).
  std::string ResultsPath(std::string_view id) const;

  static bool IsValidJobId(std::string_view id);

 private:
  explicit JobStore(std::string dir) : dir_(std::move(dir)) {}
  std::string RecordPath(std::string_view id) const;
  Status Write(const JobRecord& job);

  const std::string dir_;
};

}  // namespace kg::server
