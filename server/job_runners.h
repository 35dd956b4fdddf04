#pragma once
// The job kinds codekgd runs (registered with the JobManager by server.cc):
//
//   "ingest"  request {"path"}: ingest::IngestPath of the folder into the job's graph, holding the
//             graph's writer mutex. Progress in files. Honours the allowed roots and cancellation
//             (between files; each file is atomic). After a restart it simply runs again: ingest
//             is incremental, so files already written are skipped as unchanged.
//   "synth"   request: a synth::SynthSpec as JSON (SynthSpecToJson). synth::RunSynthJob writes
//             one line per record to <id>.jsonl.partial, renamed to <id>.jsonl on success.
//             Progress in the synthesis' work units; cancellation polled by the job. After a
//             restart the job resumes: the complete lines already in the partial file are kept
//             (a torn last line is cut off) and RunSynthJob regenerates them without delivering
//             them again (resume_after), so the result is byte-identical to an uninterrupted run.
//
// Both runners fail with AlreadyExists while a watch (POST ingest {"watch": true}) owns the graph.

#include "server/context.h"
#include "server/job_manager.h"

namespace kg::server {

JobRunner MakeIngestRunner(ServerContext& context);
JobRunner MakeSynthRunner(ServerContext& context);

// The Status a stored job error {code, message} stands for (Internal for an unknown code).
Status StatusFromErrorJson(const Json& error);

}  // namespace kg::server
