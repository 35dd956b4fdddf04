#include "server/job_store.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace kg::server {
namespace {

namespace fs = std::filesystem;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "job_<12 hex digits of ms><8 hex random>": sortable by creation time, unique across restarts.
std::string NewJobId() {
  static std::atomic<uint64_t> counter{0};
  static const uint64_t salt = [] {
    std::random_device rd;
    return (static_cast<uint64_t>(rd()) << 32) ^ rd();
  }();
  uint64_t x = salt + 0x9e3779b97f4a7c15ULL * (counter.fetch_add(1) + 1);
  x = (x ^ (x >> 31)) * 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 29;
  char buf[40];
  std::snprintf(buf, sizeof(buf), "job_%012llx%08x",
                static_cast<unsigned long long>(NowMs()) & 0xffffffffffffULL,
                static_cast<unsigned>(x & 0xffffffffu));
  return buf;
}

Result<JobRecord> FromJson(const Json& j) {
  try {
    JobRecord r;
    r.id = j.at("id").get<std::string>();
    r.kind = j.at("kind").get<std::string>();
    r.graph = j.at("graph").get<std::string>();
    r.state = j.at("state").get<std::string>();
    r.created_ms = j.at("created_ms").get<int64_t>();
    r.finished_ms = j.value("finished_ms", int64_t{0});
    r.request = j.value("request", Json::object());
    r.summary = j.value("summary", Json::object());
    r.error = j.value("error", Json(nullptr));
    r.has_results = j.value("has_results", false);
    return r;
  } catch (const std::exception& e) {
    return Status::Corruption(std::string("job record: ") + e.what());
  }
}

}  // namespace

Json JobRecord::ToJson() const {
  Json j = Json::object();
  j["id"] = id;
  j["kind"] = kind;
  j["graph"] = graph;
  j["state"] = state;
  j["created_ms"] = created_ms;
  j["finished_ms"] = finished_ms;
  j["request"] = request;
  j["summary"] = summary;
  j["error"] = error;
  j["has_results"] = has_results;
  if (has_results) j["results_url"] = "/v1/jobs/" + id + "/results";
  return j;
}

Result<std::unique_ptr<JobStore>> JobStore::Open(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::IOError("cannot create jobs folder " + dir + ": " + ec.message());
  std::unique_ptr<JobStore> store(new JobStore(dir));
  // Jobs left "running" by a previous process were interrupted.
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    if (p.extension() != ".json") continue;
    auto job = store->Get(p.stem().string());
    if (!job.ok() || job->state != "running") continue;
    job->state = "failed";
    job->error = Json{{"code", "cancelled"},
                      {"message", "interrupted: the server stopped before the job finished"}};
    KG_RETURN_IF_ERROR(store->Save(&job.value()));
  }
  if (ec) return Status::IOError("cannot list jobs folder " + dir + ": " + ec.message());
  return store;
}

bool JobStore::IsValidJobId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string JobStore::RecordPath(std::string_view id) const {
  return dir_ + "/" + std::string(id) + ".json";
}

std::string JobStore::ResultsPath(std::string_view id) const {
  return dir_ + "/" + std::string(id) + ".jsonl";
}

Status JobStore::Write(const JobRecord& job) {
  std::string path = RecordPath(job.id);
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << DumpJson(job.ToJson()) << '\n';
    out.flush();
    if (!out) return Status::IOError("cannot write job record " + tmp);
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return Status::IOError("cannot rename job record to " + path + ": " + ec.message());
  return Status::OK();
}

Result<JobRecord> JobStore::Create(std::string_view kind, std::string_view graph, Json request) {
  JobRecord job;
  job.id = NewJobId();
  job.kind = std::string(kind);
  job.graph = std::string(graph);
  job.state = "running";
  job.created_ms = NowMs();
  job.request = std::move(request);
  KG_RETURN_IF_ERROR(Write(job));
  return job;
}

Status JobStore::Save(JobRecord* job) {
  if (job->state != "running" && job->finished_ms == 0) job->finished_ms = NowMs();
  return Write(*job);
}

Result<JobRecord> JobStore::Get(std::string_view id) const {
  if (!IsValidJobId(id)) return Status::NotFound("job '" + std::string(id) + "' does not exist");
  std::ifstream in(RecordPath(id), std::ios::binary);
  if (!in) return Status::NotFound("job '" + std::string(id) + "' does not exist");
  std::stringstream buf;
  buf << in.rdbuf();
  Json j = Json::parse(buf.str(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded())
    return Status::Corruption("job record of '" + std::string(id) + "' is not valid JSON");
  return FromJson(j);
}

}  // namespace kg::server
