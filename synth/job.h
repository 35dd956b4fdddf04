#pragma once
// Synthesis jobs: the one entry point the server (and RunSynth) use to turn a graph into
// verified, deduplicated training data.
//
// A job = graph + SynthSpec. RunSynthJob runs this pipeline (job.cc, one function):
//   walks (each strategy of the mix, through the query engine only)
//   -> filters (path prefixes, labels) -> API check of every code answer (rejects counted)
//   -> exact dedup (normalized question) -> near dedup (MinHash + LSH + Levenshtein)
//   -> sampling (count split by the mix weights, chosen by the seed)
//   -> export (one JSON line per record, in the requested format) -> observer
// The output is a pure function of (graph state, spec): the same spec over the same graph gives
// byte-identical records in the same order, so an interrupted job resumes by regenerating and
// skipping the records it already delivered (`resume_after`).

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "storage/graph_store.h"
#include "synth/walks/api_compose/teacher.h"

namespace kg::synth {

// Near-duplicate detection parameters (see synth/dedup.h).
struct NearDedupSpec {
  bool enabled = true;
  double threshold = 0.9;  // normalized Levenshtein similarity at or above which two questions
                           // are duplicates; (0, 1]
  int shingle = 5;         // character n-gram size for MinHash; 2..16
};

// Graph-independent job parameters. Every field has a JSON name (ParseSynthSpec).
struct SynthSpec {
  // Strategy name -> weight (> 0). One entry = that strategy only. With several entries and a
  // count, the count is split in proportion to the weights (largest remainder), and a strategy
  // short of its share leaves the rest unused (the mix is a ceiling, not padded).
  std::map<std::string, double> mix = {{"relation_qa", 1.0}};
  uint64_t seed = 0;
  uint64_t count = 0;               // records wanted; 0 = every record the walks produce
  std::string format = "alpaca";    // an export format (synth/export.h); cpt_corpus needs "text"
  std::vector<std::string> paths;   // keep records whose subject's file starts with one of these
  std::vector<std::string> labels;  // keep records whose subject has one of these labels
  bool negatives = true;            // relation_qa: one negative per positive
  bool check_api = true;            // run the API check on every code answer
  uint64_t chunk_bytes = 16384;     // cpt_corpus: largest record text; 256..16777216
  TeacherSpec teacher;              // api_compose: optional teacher LLM (synth/walks/api_compose)
  NearDedupSpec near_dedup;
};

// Parses a request body such as
//   {"strategy": "relation_qa"} or {"mix": {"relation_qa": 3, "path_qa": 1}},
//   "seed": 7, "count": 1000 (alias "max_pairs"), "format": "sharegpt",
//   "filters": {"paths": ["django/db/"], "labels": ["Class"]},
//   "negatives": true, "check_api": true, "chunk_bytes": 16384,
//   "teacher": {"url": "http://host:8000/v1", "model": "m", "api_key_env": "OPENAI_API_KEY",
//               "timeout_ms": 30000},
//   "dedup": {"near": true, "threshold": 0.9, "shingle": 5}}
// Every field is optional. Errors: InvalidArgument naming the field (unknown field, wrong type,
// unknown strategy or format, a strategy that does not support the format (cpt_corpus writes
// only "text"), out-of-range value, both "strategy" and "mix").
Result<SynthSpec> ParseSynthSpec(const nlohmann::json& body);

// The spec as a JSON object that ParseSynthSpec accepts and maps back to an equal spec (so a
// job stored in RocksDB can resume after a restart). Always uses "mix" and "count".
nlohmann::json SynthSpecToJson(const SynthSpec& spec);

// Receives a job's output. Every call comes from the thread that runs RunSynthJob.
class SynthObserver {
 public:
  virtual ~SynthObserver() = default;
  // Units of work done so far out of `total`. A unit is one walk, the dedup pass, or one record
  // exported; `total` is exact once the walks have finished (before that it counts the walks
  // only), and `done` never decreases.
  virtual void OnProgress(uint64_t done, uint64_t total) = 0;
  // One exported line, without '\n'. A non-OK Status aborts the job with that Status.
  virtual Status OnRecord(std::string_view jsonl_line) = 0;
  // Polled between walks, between query rows batches and between records; once it returns true
  // the job stops within a few milliseconds of work and returns Status Cancelled.
  virtual bool Cancelled() = 0;
};

// Runs the job over `graph` of `store`. `observer` may be null (then records are only counted).
// `resume_after` = number of records an earlier interrupted run of the same job delivered: the
// job regenerates them but passes only the later ones to OnRecord.
// Success: the job summary
//   {"graph", "strategies": [...], "format", "seed", "records" (exported, including skipped
//    resumed ones), "delivered" (passed to OnRecord), "candidates" (walk output),
//    "per_strategy": {name: n}, "per_relation": {"INHERITS": n, ...}, "per_direction": {...},
//    "negatives", "filtered_out", "api_check": {"enabled", "checked" (code answers),
//    "rejected", "references", "resolved", "apis_covered" (distinct APIs the exported records
//    teach)}, "duplicates_removed": {"exact", "near"},
//    "walk_stats": {"api_compose.teacher_requests", ...: counters walks report (see the walk's
//    header)},
//    "stage_ms": {"walks", "api_check", "dedup", "export"} (wall time per pipeline stage),
//    "stage_cpu_ms": {same keys} (CPU time per stage of the job's thread plus the second thread
//    that relation_qa's walk and the near dedup use (synth/parallel.h); steadier than wall
//    time on a loaded machine),
//    "elapsed_ms"}.
// Errors: InvalidArgument (spec: unknown strategy/format, format not supported by a strategy of
// the mix, chunk_bytes 0), NotFound (graph), Cancelled, the
// query engine's errors, or the Status an OnRecord call returned.
// Threads: the job uses the calling thread and, for parts of some stages, one more thread
// (synth/parallel.h); the observer is still called only from the calling thread.
// Thread-safe: concurrent jobs on one store are fine (each query takes its own snapshot).
Result<nlohmann::json> RunSynthJob(storage::GraphStore& store, std::string_view graph,
                                   const SynthSpec& spec, SynthObserver* observer,
                                   uint64_t resume_after = 0);

}  // namespace kg::synth
