#pragma once
// Watches (a graph re-ingested whenever its folder changes) that survive a restart.
//
// The set of watches is persisted in <data_dir>/watches.json, [{"graph", "root",
// "debounce_ms"}, ...], rewritten atomically (temporary file + rename) whenever a watch starts or
// is stopped by a request (DELETE /v1/graphs/{g}/watch, DELETE /v1/graphs/{g}). Stopping the
// server does not change it, so the next start restores every watch (RestoreWatches), each with
// its initial (incremental) ingest.
//
// Thread-safety: all functions may be called concurrently; a graph's watch changes are
// serialized by ServerContext::GraphWriteMutex(graph).

#include <string>

#include "common/result.h"
#include "common/status.h"
#include "server/api.h"
#include "server/context.h"

namespace kg::server {

// Starts watching `root` (absolute) for `graph`: runs the initial ingest, registers the watcher
// and persists it. Returns {"watch": {graph, root, debounce_ms}, "report": {initial ingest}}.
// Errors: AlreadyExists when the graph is already watched; those of ingest::Watcher::Start
// (e.g. PermissionDenied outside the allowed roots, NotFound); IOError if the watch list cannot
// be written (the watch is then stopped again).
Result<Json> StartWatch(ServerContext& context, const std::string& graph, const std::string& root,
                        int debounce_ms);

// Stops the watch of `graph` and removes it from the persisted list. Returns the watched root,
// or NotFound when the graph is not watched.
Result<std::string> StopWatch(ServerContext& context, const std::string& graph);

// Restarts every persisted watch (called by Server::Open). A watch that cannot start (its
// folder is gone, it is outside the allowed roots now, ...) is dropped from the list with a line
// on stderr. Returns how many were restored. IOError/Corruption only when the list itself cannot
// be read.
Result<int> RestoreWatches(ServerContext& context);

}  // namespace kg::server
