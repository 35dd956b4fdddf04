#include "server/job_manager.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace kg::server {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Json ErrorOf(const Status& status) {
  return Json{{"code", std::string(Status::CodeName(status.code()))},
              {"message", status.message()}};
}

constexpr auto kCheckpointEvery = std::chrono::seconds(1);

}  // namespace

Json ProgressJson(uint64_t done, uint64_t total, double elapsed_s, bool final) {
  Json p = Json::object();
  p["done"] = done;
  p["total"] = total;
  double rate = elapsed_s > 0 ? static_cast<double>(done) / elapsed_s : 0.0;
  p["rate"] = std::round(rate * 100) / 100;
  if (final) {
    p["eta_s"] = 0;
  } else if (rate > 0 && total >= done) {
    p["eta_s"] = std::round(static_cast<double>(total - done) / rate * 10) / 10;
  } else {
    p["eta_s"] = nullptr;  // unknown yet
  }
  return p;
}

void JobControl::SetProgress(uint64_t done, uint64_t total) {
  manager_.OnProgress(job_.id, done, total);
}

bool JobControl::Cancelled() const {
  return cancel_requested_.load() || manager_.shutting_down_.load();
}

bool JobControl::Interrupted() const {
  return manager_.shutting_down_.load() && !cancel_requested_.load();
}

void JobControl::AddNote(std::string note) {
  std::lock_guard<std::mutex> lock(manager_.mu_);
  auto it = manager_.active_.find(job_.id);
  if (it != manager_.active_.end()) it->second->record.notes.push_back(note);
  job_.notes.push_back(std::move(note));
}

JobManager::JobManager(JobStore& store, Metrics& metrics, int workers, size_t keep_finished)
    : store_(store),
      metrics_(metrics),
      workers_count_(std::max(1, workers)),
      keep_finished_(keep_finished) {}

JobManager::~JobManager() { Shutdown(); }

void JobManager::RegisterKind(const std::string& kind, JobRunner runner) {
  runners_[kind] = std::move(runner);
}

Status JobManager::Start() {
  KG_ASSIGN_OR_RETURN(std::vector<JobRecord> jobs, store_.List());
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (JobRecord& job : jobs) {
      if (job.IsFinal()) continue;
      if (runners_.count(job.kind) == 0) {
        job.state = "failed";
        job.error =
            ErrorOf(Status::NotSupported("interrupted by a server stop, and this server "
                                         "cannot resume jobs of kind '" +
                                         job.kind + "'"));
        KG_RETURN_IF_ERROR(store_.Save(&job));
        metrics_.RecordJob(job.kind, "failed");
        continue;
      }
      job.notes.push_back(std::string("interrupted while ") + job.state +
                          " (server stopped); requeued at startup");
      job.state = "queued";
      KG_RETURN_IF_ERROR(store_.Save(&job));
      auto active = std::make_shared<Active>();
      active->record = job;
      active->done = job.progress.value("done", uint64_t{0});
      active->total = job.progress.value("total", uint64_t{0});
      active_[job.id] = active;
      queue_.push_back(job.id);
    }
    started_ = true;
  }
  Prune();
  for (int i = 0; i < workers_count_; ++i) workers_.emplace_back([this] { WorkerLoop(); });
  return Status::OK();
}

Result<JobRecord> JobManager::Submit(const std::string& kind, const std::string& graph,
                                     Json request) {
  if (shutting_down_) return Status::Cancelled("the server is shutting down");
  if (runners_.count(kind) == 0) return Status::InvalidArgument("unknown job kind '" + kind + "'");
  KG_ASSIGN_OR_RETURN(JobRecord job, store_.Create(kind, graph, std::move(request)));
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto active = std::make_shared<Active>();
    active->record = job;
    active_[job.id] = active;
    queue_.push_back(job.id);
  }
  work_cv_.notify_one();
  return job;
}

JobRecord JobManager::LiveRecord(const Active& a) const {
  JobRecord r = a.record;
  double elapsed = 0;
  if (r.state == "running") {
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - a.started).count();
  }
  r.progress = ProgressJson(a.done, a.total, elapsed, false);
  return r;
}

Result<JobRecord> JobManager::Get(const std::string& id) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = active_.find(id);
    if (it != active_.end()) return LiveRecord(*it->second);
  }
  KG_ASSIGN_OR_RETURN(JobRecord job, store_.Get(id));
  if (job.IsFinal()) {
    uint64_t done = job.progress.value("done", uint64_t{0});
    uint64_t total = job.progress.value("total", uint64_t{0});
    double elapsed = job.started_ms > 0 && job.finished_ms >= job.started_ms
                         ? static_cast<double>(job.finished_ms - job.started_ms) / 1000.0
                         : 0.0;
    job.progress = ProgressJson(done, total, elapsed, true);
  }
  return job;
}

Result<std::vector<JobRecord>> JobManager::List() {
  KG_ASSIGN_OR_RETURN(std::vector<JobRecord> jobs, store_.List());
  std::lock_guard<std::mutex> lock(mu_);
  for (JobRecord& job : jobs) {
    auto it = active_.find(job.id);
    if (it != active_.end()) job = LiveRecord(*it->second);
  }
  return jobs;
}

Result<JobRecord> JobManager::Wait(const std::string& id, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  {
    std::unique_lock<std::mutex> lock(mu_);
    done_cv_.wait_until(lock, deadline,
                        [&] { return active_.count(id) == 0 || shutting_down_.load(); });
  }
  return Get(id);
}

Result<JobRecord> JobManager::Cancel(const std::string& id) {
  std::shared_ptr<Active> queued;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = active_.find(id);
    if (it != active_.end()) {
      if (it->second->control) {
        it->second->control->cancel_requested_ = true;
        return LiveRecord(*it->second);
      }
      // Still queued: it never starts.
      queue_.erase(std::remove(queue_.begin(), queue_.end(), id), queue_.end());
      queued = it->second;
    }
  }
  if (queued) {
    JobRecord record;
    {
      std::lock_guard<std::mutex> lock(mu_);
      record = queued->record;
    }
    record.state = "cancelled";
    record.error = ErrorOf(Status::Cancelled("cancelled before it started"));
    Finish(queued, record);
    return Get(id);
  }
  return Get(id);
}

std::pair<size_t, size_t> JobManager::ActiveCounts() {
  std::lock_guard<std::mutex> lock(mu_);
  size_t running = 0;
  for (const auto& [id, a] : active_) running += a->control ? 1 : 0;
  return {active_.size() - running, running};
}

void JobManager::Shutdown() {
  std::lock_guard<std::mutex> serialize(shutdown_mu_);
  shutting_down_ = true;
  work_cv_.notify_all();
  done_cv_.notify_all();
  for (std::thread& t : workers_) {
    if (t.joinable()) t.join();
  }
  workers_.clear();
}

void JobManager::WorkerLoop() {
  while (true) {
    std::shared_ptr<Active> active;
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_cv_.wait(lock, [&] { return shutting_down_.load() || !queue_.empty(); });
      if (shutting_down_) return;  // queued jobs stay "queued" in the store: resumed later
      std::string id = queue_.front();
      queue_.pop_front();
      auto it = active_.find(id);
      if (it == active_.end()) continue;
      active = it->second;
    }
    RunOne(active);
  }
}

void JobManager::OnProgress(const std::string& id, uint64_t done, uint64_t total) {
  JobRecord checkpoint;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = active_.find(id);
    if (it == active_.end()) return;
    Active& a = *it->second;
    a.done = std::max(a.done, done);
    a.total = total;
    auto now = std::chrono::steady_clock::now();
    if (now - a.last_checkpoint < kCheckpointEvery) return;
    a.last_checkpoint = now;
    a.record.progress = Json{{"done", a.done}, {"total", a.total}};
    checkpoint = a.record;
  }
  (void)store_.Save(&checkpoint);  // best effort: the outcome is saved for sure
}

void JobManager::RunOne(const std::shared_ptr<Active>& active) {
  JobRecord record;
  std::shared_ptr<JobControl> control;
  {
    std::lock_guard<std::mutex> lock(mu_);
    active->record.state = "running";
    active->record.attempts += 1;
    active->record.started_ms = NowMs();
    active->started = std::chrono::steady_clock::now();
    active->last_checkpoint = active->started;
    active->done = 0;
    record = active->record;
    control.reset(new JobControl(*this, store_, record));
    active->control = control;
  }
  Status saved = store_.Save(&record);
  Result<Json> outcome = saved.ok() ? Status::OK() : saved;
  if (saved.ok()) {
    auto it = runners_.find(record.kind);
    try {
      outcome = it->second(*control);
    } catch (const std::exception& e) {
      outcome = Status::Internal(std::string("job runner threw: ") + e.what());
    } catch (...) {
      outcome = Status::Internal("job runner threw");
    }
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    record = active->record;  // with notes added meanwhile
    record.progress = Json{{"done", active->done}, {"total", active->total}};
  }
  if (outcome.ok()) {
    record.state = "succeeded";
    record.summary = std::move(outcome).value();
    record.has_results = control->has_results_;
  } else if (outcome.status().IsCancelled() && !control->cancel_requested_ && shutting_down_) {
    // Interrupted by the server stopping: stays "running" for the next Start() to resume.
    record.notes.push_back("interrupted by a server stop");
    (void)store_.Save(&record);
    std::lock_guard<std::mutex> lock(mu_);
    active_.erase(record.id);
    done_cv_.notify_all();
    return;
  } else if (outcome.status().IsCancelled() && control->cancel_requested_) {
    record.state = "cancelled";
    record.error = ErrorOf(Status::Cancelled("cancelled by request"));
  } else {
    record.state = "failed";
    record.error = ErrorOf(outcome.status());
  }
  Finish(active, std::move(record));
}

void JobManager::Finish(const std::shared_ptr<Active>&, JobRecord record) {
  Status saved = store_.Save(&record);
  if (!saved.ok()) {
    // The outcome could not be persisted: the next Start() will requeue the job.
    std::fprintf(stderr, "codekgd: cannot save job %s: %s\n", record.id.c_str(),
                 saved.ToString().c_str());
  }
  metrics_.RecordJob(record.kind, record.state);
  // Retention before the job counts as done, so that whoever waited for it (Wait, ?wait=true)
  // sees the older jobs already deleted (was after: a waiter could still read a job that was
  // about to go; seen under TSan in RetentionKeepsTheMostRecentlyFinishedJobsAndTheirResults).
  Prune();
  std::lock_guard<std::mutex> lock(mu_);
  active_.erase(record.id);
  done_cv_.notify_all();
}

void JobManager::Prune() {
  if (keep_finished_ == 0) return;
  Result<size_t> pruned = store_.Prune(keep_finished_);
  if (!pruned.ok()) {
    std::fprintf(stderr, "codekgd: job retention: %s\n", pruned.status().ToString().c_str());
  }
}

}  // namespace kg::server
