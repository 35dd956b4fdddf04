#include "server/watches.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "ingest/watch.h"
#include "server/json_codec.h"

namespace kg::server {

namespace {

namespace fs = std::filesystem;

// Serializes read-modify-write of the list file.
std::mutex& ListMutex() {
  static std::mutex mu;
  return mu;
}

std::string ListPath(const ServerContext& context) {
  return context.options().data_dir + "/watches.json";
}

// The persisted list; an absent file is an empty list. REQUIRES: ListMutex() held.
Result<Json> LoadList(const ServerContext& context) {
  std::string path = ListPath(context);
  std::error_code ec;
  if (!fs::exists(path, ec)) return Json::array();
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  Json list = Json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (!list.is_array()) return Status::Corruption(path + " is not a JSON array of watches");
  return list;
}

// Writes the list atomically. REQUIRES: ListMutex() held.
Status SaveList(const ServerContext& context, const Json& list) {
  std::string path = ListPath(context);
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << DumpJson(list) << "\n";
    out.flush();
    if (!out) return Status::IOError("cannot write " + tmp);
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return Status::IOError("cannot rename " + tmp + ": " + ec.message());
  return Status::OK();
}

// Replaces (or with entry null, removes) the graph's entry.
Status UpdateList(const ServerContext& context, const std::string& graph, const Json& entry) {
  std::lock_guard<std::mutex> lock(ListMutex());
  KG_ASSIGN_OR_RETURN(Json list, LoadList(context));
  Json out = Json::array();
  for (const Json& w : list) {
    if (w.is_object() && w.value("graph", "") != graph) out.push_back(w);
  }
  if (!entry.is_null()) out.push_back(entry);
  return SaveList(context, out);
}

}  // namespace

Result<Json> StartWatch(ServerContext& context, const std::string& graph, const std::string& root,
                        int debounce_ms) {
  std::lock_guard<std::mutex> lock(context.GraphWriteMutex(graph));
  if (std::string watched = context.WatchedRoot(graph); !watched.empty()) {
    return Status::AlreadyExists("graph '" + graph + "' is already watched (root " + watched + ")");
  }
  ingest::IngestOptions options;
  options.allowed_roots = context.options().allowed_roots;
  Metrics* metrics = &context.metrics();
  Json initial;
  // The first report (the initial ingest) arrives inside Watcher::Start, while `initial` lives;
  // later ones only count and log.
  auto on_report = [metrics, graph, &initial,
                    first = true](const Result<ingest::IngestReport>& report) mutable {
    if (first) {
      first = false;
      if (report.ok()) initial = IngestReportToJson(*report);
      return;
    }
    metrics->RecordJob("watch_ingest", report.ok() ? "succeeded" : "failed");
    if (!report.ok()) {
      std::fprintf(stderr, "codekgd: watch of graph %s: %s\n", graph.c_str(),
                   report.status().ToString().c_str());
    }
  };
  KG_ASSIGN_OR_RETURN(auto watcher, ingest::Watcher::Start(context.store(), graph, root, options,
                                                           debounce_ms, std::move(on_report)));
  std::string canonical = watcher->root();
  KG_RETURN_IF_ERROR(context.AddWatch(graph, std::move(watcher)));
  Json entry = {{"graph", graph}, {"root", canonical}, {"debounce_ms", debounce_ms}};
  if (Status s = UpdateList(context, graph, entry); !s.ok()) {
    context.RemoveWatch(graph);
    return s;
  }
  return Json{{"watch", entry}, {"report", initial}};
}

Result<std::string> StopWatch(ServerContext& context, const std::string& graph) {
  std::string root = context.WatchedRoot(graph);
  if (root.empty() || !context.RemoveWatch(graph)) {
    return Status::NotFound("graph '" + graph + "' is not being watched");
  }
  KG_RETURN_IF_ERROR(UpdateList(context, graph, Json()));
  return root;
}

Result<int> RestoreWatches(ServerContext& context) {
  Json list;
  {
    std::lock_guard<std::mutex> lock(ListMutex());
    KG_ASSIGN_OR_RETURN(list, LoadList(context));
  }
  int restored = 0;
  for (const Json& w : list) {
    std::string graph = w.is_object() ? w.value("graph", "") : "";
    std::string root = w.is_object() ? w.value("root", "") : "";
    int debounce_ms = w.is_object() && w.contains("debounce_ms") && w["debounce_ms"].is_number()
                          ? w["debounce_ms"].get<int>()
                          : 200;
    Result<Json> started = graph.empty() || root.empty()
                               ? Result<Json>(Status::InvalidArgument("malformed entry"))
                               : StartWatch(context, graph, root, debounce_ms);
    if (started.ok()) {
      ++restored;
      continue;
    }
    std::fprintf(stderr, "codekgd: dropping the watch of graph '%s' (root %s): %s\n", graph.c_str(),
                 root.c_str(), started.status().ToString().c_str());
    if (!graph.empty()) (void)UpdateList(context, graph, Json());
  }
  return restored;
}

}  // namespace kg::server
