#include "server/job_store.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <set>
#include <tuple>
#include <utility>

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
    r.started_ms = j.value("started_ms", int64_t{0});
    r.finished_ms = j.value("finished_ms", int64_t{0});
    r.attempts = j.value("attempts", 0);
    r.request = j.value("request", Json::object());
    r.summary = j.value("summary", Json::object());
    r.error = j.value("error", Json(nullptr));
    r.progress = j.value("progress", Json::object());
    r.notes = j.value("notes", Json::array());
    r.has_results = j.value("has_results", false);
    return r;
  } catch (const std::exception& e) {
    return Status::Corruption(std::string("job record: ") + e.what());
  }
}

Result<JobRecord> Parse(std::string_view id, const std::string& text) {
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return Status::Corruption("job record of '" + std::string(id) + "' is not valid JSON");
  }
  return FromJson(j);
}

// The parseable records of `all` (id, text) in their order; unparseable ones are skipped.
std::vector<JobRecord> ParseRecords(const std::vector<std::pair<std::string, std::string>>& all) {
  std::vector<JobRecord> out;
  out.reserve(all.size());
  for (const auto& [id, text] : all) {
    Result<JobRecord> r = Parse(id, text);
    if (r.ok()) out.push_back(std::move(r).value());
  }
  return out;
}

}  // namespace

bool JobRecord::IsFinal() const {
  return state == "succeeded" || state == "failed" || state == "cancelled";
}

Json JobRecord::ToJson() const {
  Json j = Json::object();
  j["id"] = id;
  j["kind"] = kind;
  j["graph"] = graph;
  j["state"] = state;
  j["created_ms"] = created_ms;
  j["started_ms"] = started_ms;
  j["finished_ms"] = finished_ms;
  j["attempts"] = attempts;
  j["request"] = request;
  j["progress"] = progress;
  j["summary"] = summary;
  j["error"] = error;
  j["notes"] = notes;
  j["has_results"] = has_results;
  if (has_results) j["results_url"] = "/v1/jobs/" + id + "/results";
  return j;
}

Result<std::unique_ptr<JobStore>> JobStore::Open(storage::GraphStore* store,
                                                 const std::string& dir) {
  if (store == nullptr) return Status::InvalidArgument("JobStore needs a GraphStore");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::IOError("cannot create jobs folder " + dir + ": " + ec.message());
  return std::unique_ptr<JobStore>(new JobStore(store, dir));
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

std::string JobStore::ResultsPath(std::string_view id) const {
  return dir_ + "/" + std::string(id) + ".jsonl";
}

std::string JobStore::PartialResultsPath(std::string_view id) const {
  return ResultsPath(id) + ".partial";
}

Result<JobRecord> JobStore::Create(std::string_view kind, std::string_view graph, Json request) {
  JobRecord job;
  job.id = NewJobId();
  job.kind = std::string(kind);
  job.graph = std::string(graph);
  job.state = "queued";
  job.created_ms = NowMs();
  job.request = std::move(request);
  KG_RETURN_IF_ERROR(Save(&job));
  return job;
}

Status JobStore::Save(JobRecord* job) {
  if (job->IsFinal() && job->finished_ms == 0) job->finished_ms = NowMs();
  return store_->PutJob(job->id, DumpJson(job->ToJson()));
}

Result<JobRecord> JobStore::Get(std::string_view id) const {
  if (!IsValidJobId(id)) return Status::NotFound("job '" + std::string(id) + "' does not exist");
  KG_ASSIGN_OR_RETURN(std::optional<std::string> text, store_->GetJob(id));
  if (!text) return Status::NotFound("job '" + std::string(id) + "' does not exist");
  return Parse(id, *text);
}

Status JobStore::Delete(std::string_view id) {
  if (!IsValidJobId(id)) return Status::OK();
  KG_RETURN_IF_ERROR(store_->DeleteJob(id));
  for (const std::string& path : {ResultsPath(id), PartialResultsPath(id)}) {
    std::error_code ec;
    fs::remove(path, ec);
    if (ec) return Status::IOError("cannot remove " + path + ": " + ec.message());
  }
  return Status::OK();
}

Result<size_t> JobStore::Prune(size_t keep) {
  // The folder is listed before the records: a file seen here belongs to a job created earlier,
  // which the record listing below then sees (so a job created meanwhile is never orphaned).
  std::vector<std::string> files;
  std::error_code ec;
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    files.push_back(it->path().filename().string());
  }
  if (ec) return Status::IOError("cannot list jobs folder " + dir_ + ": " + ec.message());
  KG_ASSIGN_OR_RETURN(auto all, store_->ListJobs());  // every record, parseable or not
  std::set<std::string, std::less<>> ids;
  for (const auto& entry : all) ids.insert(entry.first);

  std::vector<JobRecord> jobs = ParseRecords(all);
  std::erase_if(jobs, [](const JobRecord& job) { return !job.IsFinal(); });
  size_t deleted = 0;
  if (jobs.size() > keep) {
    // The most recently finished stay (so a job that just ended is never the one removed).
    std::sort(jobs.begin(), jobs.end(), [](const JobRecord& a, const JobRecord& b) {
      return std::tie(a.finished_ms, a.id) < std::tie(b.finished_ms, b.id);
    });
    for (size_t i = 0; i + keep < jobs.size(); ++i) {
      KG_RETURN_IF_ERROR(Delete(jobs[i].id));
      ids.erase(jobs[i].id);
      ++deleted;
    }
  }
  for (const std::string& name : files) {
    std::string_view id = name;
    for (std::string_view suffix : {".jsonl.partial", ".jsonl"}) {
      if (id.size() > suffix.size() && id.substr(id.size() - suffix.size()) == suffix) {
        id.remove_suffix(suffix.size());
        break;
      }
    }
    if (id.size() == name.size() || !IsValidJobId(id) || ids.count(id) != 0) continue;
    fs::remove(dir_ + "/" + name, ec);
    if (ec) return Status::IOError("cannot remove " + dir_ + "/" + name + ": " + ec.message());
  }
  return deleted;
}

Result<std::vector<JobRecord>> JobStore::List() const {
  KG_ASSIGN_OR_RETURN(auto all, store_->ListJobs());
  return ParseRecords(all);
}

}  // namespace kg::server
