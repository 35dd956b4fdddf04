// IngestPath: walk -> load + hash + parse (threads) -> find dependents -> resolve -> write.

#include "ingest/ingest.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <system_error>
#include <thread>
#include <utility>

#include "ingest/batch_builder.h"
#include "ingest/doc_linker.h"
#include "ingest/docs/doc_parser.h"
#include "ingest/extractor.h"
#include "ingest/languages/registry.h"
#include "ingest/resolver.h"
#include "ingest/sha256.h"
#include "ingest/source_file.h"
#include "ingest/stored_symbols.h"
#include "ingest/walk.h"

namespace kg::ingest {
namespace {

namespace fs = std::filesystem;

// One supported file of the walk and what happened to it.
struct FileJob {
  std::string path;
  const languages::Language* language = nullptr;
  const Extractor* extractor = nullptr;  // null for a documentation file
  languages::ModuleInfo module;
  bool is_doc = false;  // Markdown / reStructuredText: parsed into `doc`
  docs::DocFormat doc_format = docs::DocFormat::kMarkdown;
  docs::DocFacts doc;
  bool force = false;  // parse even when the hash is unchanged (a dependent to re-resolve)

  enum class Outcome { kPending, kParsed, kUnchanged, kSkipped };
  Outcome outcome = Outcome::kPending;
  std::string skip_reason;
  uint64_t size = 0;
  std::string hash;
  std::string text;
  FileFacts facts;
};

// Loads, hashes and (when changed or forced) parses one file.
void RunJob(const fs::path& root, const IngestOptions& options,
            const std::map<std::string, std::string>& stored_hashes, FileJob* job) {
  SourceLoad load = LoadSourceFile(root / job->path, options.max_file_bytes);
  job->size = load.size;
  if (!load.skip_reason.empty()) {
    job->outcome = FileJob::Outcome::kSkipped;
    job->skip_reason = std::move(load.skip_reason);
    return;
  }
  job->hash = Sha256Hex(load.text);
  auto stored = stored_hashes.find(job->path);
  if (!job->force && stored != stored_hashes.end() && stored->second == job->hash) {
    job->outcome = FileJob::Outcome::kUnchanged;
    return;
  }
  if (job->is_doc) {
    job->doc = docs::ParseDoc(load.text, job->doc_format);
    job->text = std::move(load.text);
    job->outcome = FileJob::Outcome::kParsed;
    return;
  }
  Result<FileFacts> facts = job->extractor->Extract(job->path, load.text, job->module);
  if (!facts.ok()) {
    job->outcome = FileJob::Outcome::kSkipped;
    job->skip_reason = "cannot parse: " + facts.status().message();
    return;
  }
  job->facts = std::move(facts).value();
  job->text = std::move(load.text);
  job->outcome = FileJob::Outcome::kParsed;
}

// Progress and cancellation of one run (IngestOptions::on_progress / cancelled).
class RunControl {
 public:
  explicit RunControl(const IngestOptions& options) : options_(options) {}

  bool Cancelled() {
    if (cancelled_.load(std::memory_order_relaxed)) return true;
    if (options_.cancelled && options_.cancelled()) cancelled_ = true;
    return cancelled_.load(std::memory_order_relaxed);
  }
  void AddTotal(uint64_t n) {
    std::lock_guard<std::mutex> lock(mu_);
    total_ += n;
  }
  void FileDone() {
    if (!options_.on_progress) return;
    std::lock_guard<std::mutex> lock(mu_);
    ++done_;
    options_.on_progress(done_, total_);
  }
  void Finished() {
    if (!options_.on_progress) return;
    std::lock_guard<std::mutex> lock(mu_);
    options_.on_progress(total_, total_);
  }

 private:
  const IngestOptions& options_;
  std::atomic<bool> cancelled_{false};
  std::mutex mu_;
  uint64_t done_ = 0;   // GUARDED_BY(mu_)
  uint64_t total_ = 0;  // GUARDED_BY(mu_)
};

// Runs `jobs` on up to `threads` worker threads (0 = hardware concurrency). Jobs not started
// when the run is cancelled stay kPending.
void RunJobs(const std::vector<FileJob*>& jobs, int threads, const fs::path& root,
             const IngestOptions& options, const std::map<std::string, std::string>& stored_hashes,
             RunControl& control) {
  if (jobs.empty()) return;
  size_t n = threads > 0 ? static_cast<size_t>(threads) : std::thread::hardware_concurrency();
  n = std::clamp<size_t>(n, 1, jobs.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < jobs.size(); i = next++) {
      if (control.Cancelled()) return;
      RunJob(root, options, stored_hashes, jobs[i]);
      control.FileDone();
    }
  };
  std::vector<std::thread> workers;
  for (size_t t = 1; t < n; ++t) workers.emplace_back(work);
  work();
  for (std::thread& w : workers) w.join();
}

// Stored (unchanged) files whose resolved edges may change because the file at `path` (module
// `module`, Module node `module_id`) changed what other files resolve against: its top-level
// definitions and its import bindings (re-exports). `facts` is null for a deleted file;
// `was_stored` is false for a new file. `stored_resolver` resolves against the stored graph.
//  - deleted or new: every file pointing at the module, its old top-level definitions, or
//    External nodes named after it (they may now resolve into it), and files that imported the
//    module's name from its parent package;
//  - otherwise, for each name whose definition or binding appeared, disappeared or changed:
//    files pointing at the removed definition or at the old binding's target, files that imported
//    the name (or `*`) from the module, files inheriting via the module, and External
//    `module.name` nodes. A body-only change re-resolves nobody.
std::set<std::string> DependentsOf(const std::string& path, const languages::ModuleInfo& module,
                                   const std::string& module_id, const FileFacts* facts,
                                   bool was_stored, StoredSymbols& stored,
                                   Resolver& stored_resolver) {
  std::vector<std::string> old_ids = stored.TopLevelIds(module_id);
  std::set<std::string> out;
  auto add = [&out](const std::set<std::string>& files) { out.insert(files.begin(), files.end()); };

  if (facts == nullptr || !was_stored) {
    std::vector<std::string> targets = old_ids;
    targets.push_back(module_id);
    targets.push_back(ExternalId(module.name));
    if (facts != nullptr) {
      for (const Definition& d : facts->definitions) {
        if (d.parent < 0) targets.push_back(ExternalId(module.name + "." + d.name));
      }
      for (const Member& m : facts->members) {
        if (m.owner < 0) targets.push_back(ExternalId(module.name + "." + m.name));
      }
      for (const ImportBinding& b : BindingsOf(facts->imports)) {
        if (b.name != "*") targets.push_back(ExternalId(module.name + "." + b.name));
      }
    }
    add(stored.FilesPointingAt(targets));
    // `from pkg import mod` written before pkg/mod.py existed points at pkg's Module node.
    size_t dot = module.name.rfind('.');
    if (dot != std::string::npos) {
      std::set<std::string> symbol = {module.name.substr(dot + 1)};
      add(stored.FilesPointingAt({"module:" + module.name.substr(0, dot)}, &symbol));
    }
    out.erase(path);
    return out;
  }

  // name -> id of each top-level definition, before and after.
  auto name_of = [&path](const std::string& id) {
    std::string name = id.substr(path.size() + 1);
    return name.substr(0, name.find('#'));
  };
  std::map<std::string, std::set<std::string>> old_defs, new_defs;
  for (const std::string& id : old_ids) old_defs[name_of(id)].insert(id);
  for (const Definition& d : facts->definitions) {
    if (d.parent < 0) new_defs[d.name].insert(d.id);
  }
  for (const Member& m : facts->members) {
    if (m.owner < 0) new_defs[m.name].insert(m.id);  // module variables are resolvable too
  }
  std::map<std::string, std::set<std::string>> old_bind, new_bind;  // name -> targets
  for (const ImportBinding& b : stored.Bindings(path)) old_bind[b.name].insert(b.target);
  for (const ImportBinding& b : BindingsOf(facts->imports)) new_bind[b.name].insert(b.target);

  std::set<std::string> changed;  // names whose meaning may differ
  for (const auto* pair : {&old_defs, &new_defs, &old_bind, &new_bind}) {
    for (const auto& entry : *pair) {
      const std::string& name = entry.first;  // a plain reference: clang 14 cannot capture bindings
      auto get = [&name](const std::map<std::string, std::set<std::string>>& m) {
        auto it = m.find(name);
        return it == m.end() ? std::set<std::string>() : it->second;
      };
      if (get(old_defs) != get(new_defs) || get(old_bind) != get(new_bind)) changed.insert(name);
    }
  }
  if (changed.empty()) return {};
  bool wildcard_changed = changed.count("*") > 0;
  std::set<std::string> symbols = {"*"};
  std::vector<std::string> targets;
  for (const std::string& name : changed) {
    symbols.insert(name);
    targets.push_back(ExternalId(module.name + "." + name));
    for (const std::string& id : old_defs[name]) {
      if (!new_defs[name].count(id)) targets.push_back(id);
    }
    for (const std::string& target : old_bind[name]) {
      Target t = stored_resolver.ResolveDotted(target);
      std::set<std::string> just_this = {name};
      add(stored.FilesPointingAt({t.id}, &just_this));
    }
  }
  add(stored.FilesPointingAt(targets));
  add(stored.FilesPointingAt({module_id}, wildcard_changed ? nullptr : &symbols));
  out.erase(path);
  return out;
}

// Runs build(i, &batch) for i = 0..count-1 on a thread of its own, up to kAhead batches ahead
// of the consumer, which takes them in order with Next(). The first error ends the building;
// Next() returns it after the batches built before it. Destruction stops and joins the thread.
class BatchPipeline {
 public:
  using Build = std::function<Status(size_t, storage::FactBatch*)>;
  BatchPipeline(size_t count, Build build, double* wait_ms)
      : count_(count), build_(std::move(build)), wait_ms_(wait_ms) {
    thread_ = std::thread([this] { Run(); });
  }
  ~BatchPipeline() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  BatchPipeline(const BatchPipeline&) = delete;
  BatchPipeline& operator=(const BatchPipeline&) = delete;

  // The next batch in order, or the error that stopped the building.
  Status Next(storage::FactBatch* batch) {
    auto start = std::chrono::steady_clock::now();
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return !ready_.empty() || done_; });
    *wait_ms_ +=
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (ready_.empty()) {
      return status_.ok() ? Status::Internal("ingest: no batch left to write") : status_;
    }
    *batch = std::move(ready_.front());
    ready_.pop_front();
    lock.unlock();
    cv_.notify_all();
    return Status::OK();
  }

 private:
  static constexpr size_t kAhead = 4;

  void Run() {
    Status status;
    try {
      for (size_t i = 0; i < count_ && status.ok(); ++i) {
        {
          std::unique_lock<std::mutex> lock(mu_);
          cv_.wait(lock, [this] { return stop_ || ready_.size() < kAhead; });
          if (stop_) break;
        }
        storage::FactBatch batch;
        status = build_(i, &batch);
        if (!status.ok()) break;
        {
          std::lock_guard<std::mutex> lock(mu_);
          ready_.push_back(std::move(batch));
        }
        cv_.notify_all();
      }
    } catch (const std::exception& e) {  // e.g. allocation failures
      status = Status::Internal(std::string("ingest failed while resolving: ") + e.what());
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      status_ = std::move(status);
      done_ = true;
    }
    cv_.notify_all();
  }

  const size_t count_;
  Build build_;
  double* wait_ms_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<storage::FactBatch> ready_;
  bool stop_ = false;  // the consumer is gone
  bool done_ = false;  // the builder finished or failed (status_)
  Status status_;
  std::thread thread_;
};

Result<IngestReport> IngestPathImpl(storage::GraphStore& store, std::string_view graph,
                                    const std::string& root, const IngestOptions& options) {
  auto started = std::chrono::steady_clock::now();
  auto lap = started;
  auto ms_since_lap = [&lap] {
    auto now = std::chrono::steady_clock::now();
    double ms = std::chrono::duration<double, std::milli>(now - lap).count();
    lap = now;
    return ms;
  };
  IngestReport report;
  RunControl control(options);
  KG_RETURN_IF_ERROR(CheckAllowedRoot(root, options.allowed_roots));

  // ---- Walk ----
  WalkOptions walk_options;
  walk_options.exclude_dirs = options.exclude_dirs;
  walk_options.skip_hidden_dirs = options.skip_hidden_dirs;
  walk_options.wanted = [](std::string_view path) { return IsIngestedPath(path); };
  KG_ASSIGN_OR_RETURN(WalkResult walk, WalkTree(root, walk_options));
  report.root = walk.root.string();
  for (const std::string& path : walk.files) {
    ++(languages::LanguageForPath(path) != nullptr ? report.files_seen : report.docs_seen);
  }
  for (WalkIssue& issue : walk.skipped) {
    report.skipped.push_back({std::move(issue.path), std::move(issue.reason)});
  }

  report.walk_ms = ms_since_lap();
  KG_RETURN_IF_ERROR(store.EnsureGraph(graph));
  KG_ASSIGN_OR_RETURN(std::unique_ptr<storage::Snapshot> snapshot, store.GetSnapshot(graph));
  KG_ASSIGN_OR_RETURN(std::vector<storage::FileRecord> stored_files, snapshot->ListFiles());
  std::map<std::string, std::string> stored_hashes;  // path -> content hash
  for (const storage::FileRecord& f : stored_files) stored_hashes[f.path] = f.content_hash;

  // ---- Jobs, modules ----
  std::set<std::string, std::less<>> walked(walk.files.begin(), walk.files.end());
  languages::FileExists exists = [&walked](std::string_view p) { return walked.count(p) > 0; };
  std::vector<FileJob> jobs(walk.files.size());
  std::map<std::string, size_t, std::less<>> job_of;  // path -> index into jobs
  for (size_t i = 0; i < walk.files.size(); ++i) {
    FileJob& job = jobs[i];
    job.path = walk.files[i];
    job.language = languages::LanguageForPath(job.path);
    job_of[job.path] = i;
    if (job.language == nullptr) {
      job.is_doc = docs::DocFormatForPath(job.path, &job.doc_format);
      if (!job.is_doc) return Status::Internal("walked a file of no language: " + job.path);
      continue;
    }
    KG_ASSIGN_OR_RETURN(job.extractor, Extractor::ForLanguage(*job.language));
    job.module = job.language->ModuleForPath(job.path, exists);
  }

  // ---- Pass 1: load, hash, parse what changed ----
  std::vector<FileJob*> round;
  for (FileJob& job : jobs) round.push_back(&job);
  control.AddTotal(round.size());
  RunJobs(round, options.threads, walk.root, options, stored_hashes, control);
  if (control.Cancelled()) return Status::Cancelled("ingest cancelled while parsing");

  // Files in the graph after this run, and their modules (for module names and resolution). A
  // file that declares its module (Java `package`) defines the module its facts say when parsed,
  // else the one stored for it.
  StoredSymbols stored(*snapshot);
  std::map<std::string, languages::ModuleInfo> modules;  // code files only
  std::set<std::string, std::less<>> kept;               // code and documentation files
  for (FileJob& job : jobs) {
    if (job.outcome == FileJob::Outcome::kSkipped) continue;
    kept.insert(job.path);
    if (job.is_doc) continue;
    if (job.outcome == FileJob::Outcome::kParsed) {
      job.module = job.facts.module;
    } else if (job.extractor->declares_modules()) {
      if (std::optional<std::string> name = stored.ModuleNameOf(job.path)) job.module.name = *name;
    }
    modules[job.path] = job.module;
  }
  // Imports that name repository files (includes, JS relative imports).
  for (FileJob& job : jobs) {
    if (job.outcome == FileJob::Outcome::kParsed && !job.is_doc) {
      ResolveImportFiles(*job.language, modules, &job.facts);
    }
  }
  RepoSymbols symbols(modules, &stored);

  // Stored files that leave the graph: gone from disk, or now skipped.
  std::vector<std::string> to_delete;
  for (const storage::FileRecord& f : stored_files) {
    if (f.path == kTreeBatchPath) continue;
    if (kept.count(f.path) == 0) to_delete.push_back(f.path);
  }

  // ---- Pass 1b: unchanged files that depend on a changed interface are re-parsed ----
  // (`symbols` holds no parsed facts yet, so this resolver sees the graph as stored.)
  Resolver stored_resolver(symbols);
  std::set<std::string> dependents;
  // Documentation is re-linked when a code file appeared, disappeared or changed which
  // definitions it has.
  bool code_changed = false;
  // Only an unchanged file can be a dependent to re-parse: with none (a first ingest, or every
  // file changed), the changed files' dependents are not looked up (on Django's first ingest,
  // ~0.5% of the instructions, reading the stored graph for edges that cannot be there).
  const bool any_unchanged = std::any_of(jobs.begin(), jobs.end(), [](const FileJob& job) {
    return job.outcome == FileJob::Outcome::kUnchanged;
  });
  for (const FileJob& job : jobs) {
    if (job.outcome != FileJob::Outcome::kParsed || job.is_doc) continue;
    if (!code_changed) {  // did the file's set of definitions change?
      std::set<std::string> ids;
      for (const Definition& d : job.facts.definitions) ids.insert(d.id);
      for (const Member& m : job.facts.members) ids.insert(m.id);
      code_changed = stored_hashes.count(job.path) == 0 || ids != stored.DefinitionIds(job.path);
    }
    if (!any_unchanged) continue;
    std::set<std::string> d =
        DependentsOf(job.path, job.module, symbols.ModuleId(job.path), &job.facts,
                     stored_hashes.count(job.path) > 0, stored, stored_resolver);
    dependents.insert(d.begin(), d.end());
  }
  for (const std::string& path : to_delete) {
    const languages::Language* lang = languages::LanguageForPath(path);
    if (lang == nullptr) continue;
    code_changed = true;
    if (!any_unchanged) break;
    languages::ModuleInfo module = lang->ModuleForPath(path, exists);
    if (std::optional<std::string> name = stored.ModuleNameOf(path)) module.name = *name;
    std::set<std::string> d =
        DependentsOf(path, module, "module:" + module.name, nullptr, true, stored, stored_resolver);
    dependents.insert(d.begin(), d.end());
  }
  if (code_changed) {
    for (const FileJob& job : jobs) {
      if (job.is_doc) dependents.insert(job.path);
    }
  }
  round.clear();
  for (const std::string& path : dependents) {
    auto it = job_of.find(path);
    if (it == job_of.end()) continue;
    FileJob& job = jobs[it->second];
    if (job.outcome != FileJob::Outcome::kUnchanged) continue;
    job.force = true;
    round.push_back(&job);
  }
  control.AddTotal(round.size());
  RunJobs(round, options.threads, walk.root, options, stored_hashes, control);
  if (control.Cancelled()) return Status::Cancelled("ingest cancelled while parsing");
  for (FileJob* job : round) {
    report.files_reresolved += !job->is_doc;
    if (job->outcome == FileJob::Outcome::kParsed && !job->is_doc) {
      ResolveImportFiles(*job->language, modules, &job->facts);
    }
  }
  report.parse_ms = ms_since_lap();

  // ---- Pass 2: resolve against this run's symbols plus the stored ones ----
  std::set<std::string, std::less<>> parsed_code;  // their stored names are stale
  for (const FileJob& job : jobs) {
    if (job.outcome == FileJob::Outcome::kParsed && !job.is_doc) {
      symbols.AddParsed(&job.facts);
      parsed_code.insert(job.path);
    }
  }
  parsed_code.insert(to_delete.begin(), to_delete.end());
  Resolver resolver(symbols);
  DocLinker linker(resolver, [&] {
    QualifiedNames names = stored.QualifiedNames(parsed_code);
    size_t count = names.size();
    for (const FileJob& job : jobs) {
      count += 1 + job.facts.definitions.size() + job.facts.members.size();
    }
    names.reserve(count);
    for (const FileJob& job : jobs) {
      if (job.outcome == FileJob::Outcome::kParsed && !job.is_doc) {
        AppendQualifiedNames(job.facts, symbols.ModuleId(job.path), &names);
      }
    }
    return names;
  });
  std::vector<std::string> in_graph;
  for (FileJob& job : jobs) {
    switch (job.outcome) {
      case FileJob::Outcome::kSkipped:
        report.skipped.push_back({job.path, job.skip_reason});
        continue;
      case FileJob::Outcome::kUnchanged:
        ++(job.is_doc ? report.docs_unchanged : report.files_unchanged);
        break;
      case FileJob::Outcome::kParsed:
        break;
      case FileJob::Outcome::kPending:
        return Status::Internal("file job not run: " + job.path);
    }
    in_graph.push_back(job.path);
  }
  // The batch of a parsed file, resolved against this run's symbols plus the stored ones.
  auto build = [&](FileJob& job) {
    if (job.is_doc) {
      return BuildDocBatch(job.path, job.doc, job.doc_format, std::move(job.hash), job.size,
                           std::move(job.text), linker);
    }
    if (job.facts.syntax_error) {
      report.flagged.push_back(
          {job.path, "syntax error at line " + std::to_string(job.facts.syntax_error->line) +
                         ", column " + std::to_string(job.facts.syntax_error->column) + " (" +
                         job.facts.syntax_error_detail + ")"});
    }
    FileContent content{std::move(job.hash), std::move(job.text), job.size};
    std::string module_id = symbols.ModuleId(job.path);
    storage::FactBatch batch = BuildFileBatch(job.facts, std::move(content), module_id, resolver);
    for (storage::EdgeFact& e : DocstringEdges(job.facts, module_id, linker)) {
      batch.edges.push_back(std::move(e));
    }
    // A file's calls and name accesses serve only its own batch (other files resolve against
    // definitions, members and imports): their memory goes to what the rest of the run
    // allocates instead of fresh pages.
    std::vector<CallFact>().swap(job.facts.calls);
    std::vector<AccessFact>().swap(job.facts.accesses);
    return batch;
  };

  // ---- Pass 3: resolve and write, one file at a time (a batch is dropped once written, so
  // memory holds the facts but not every batch). The snapshot stays pinned to the graph as it
  // was before this run, so resolution never sees this run's writes. Deletions first, so ids
  // they owned can move to other files; then the folder skeleton (when the set of folders
  // changed); then the re-resolved dependents, then the changed files. Cancellation is honoured
  // only among the changed files: a changed file left unwritten is parsed again by the next run,
  // which then re-resolves its dependents again (DependentsOf compares against what is
  // stored). ----
  if (control.Cancelled()) return Status::Cancelled("ingest cancelled before writing");
  // A first ingest (nothing stored) loads through a BulkWriter: no write-ahead log, indexes
  // written sorted at the end, durable at Finish(). Readers may see the graph half-loaded
  // meanwhile, which only matters for a graph that had content.
  std::unique_ptr<storage::BulkWriter> bulk;
  if (stored_files.empty()) {
    KG_ASSIGN_OR_RETURN(bulk, store.NewBulkWriter(graph));
  }
  double resolve_ms = 0;
  auto apply = [&](const storage::FactBatch& batch) {
    return bulk ? bulk->Add(batch) : store.ApplyBatch(graph, batch);
  };
  auto finish = [&](Status s) {
    if (bulk) {
      Status f = bulk->Finish();
      if (s.ok()) s = f;
    }
    return s;
  };
  for (const std::string& path : to_delete) {
    Status s = store.DeleteFile(graph, path);
    if (!s.ok() && !s.IsNotFound()) return s.WithContext("deleting '" + path + "'");
    ++(languages::LanguageForPath(path) != nullptr ? report.files_deleted : report.docs_deleted);
  }
  std::string repo_name = walk.root.filename().string();
  storage::FactBatch tree = BuildTreeBatch(repo_name.empty() ? "/" : repo_name, in_graph);
  auto stored_tree = stored_hashes.find(std::string(kTreeBatchPath));
  if (stored_tree == stored_hashes.end() || stored_tree->second != tree.content_hash) {
    if (Status s = apply(tree); !s.ok()) return finish(s);
    report.nodes_written += tree.nodes.size();
    report.edges_written += tree.edges.size();
  }
  // The files to write, in order: the re-resolved dependents, then the changed files.
  std::vector<FileJob*> to_write;
  for (bool dependents_pass : {true, false}) {
    for (FileJob& job : jobs) {
      if (job.outcome == FileJob::Outcome::kParsed && job.force == dependents_pass) {
        to_write.push_back(&job);
      }
    }
  }
  // Builds (resolves) the batch of to_write[i]; an error when the stored symbols failed.
  auto build_checked = [&](size_t i, storage::FactBatch* batch) {
    auto resolve_start = std::chrono::steady_clock::now();
    *batch = build(*to_write[i]);
    resolve_ms +=
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - resolve_start)
            .count();
    return stored.status().ok() ? Status::OK()
                                : stored.status().WithContext("reading stored symbols");
  };
  // With more than one thread, one thread resolves the batches ahead while this one writes them
  // (the Resolver, the snapshot and StoredSymbols stay on the resolving thread; the store and
  // the bulk writer on this one).
  size_t threads = options.threads > 0 ? static_cast<size_t>(options.threads)
                                       : std::thread::hardware_concurrency();
  double pipeline_wait_ms = -1;  // >= 0 when pipelined
  std::optional<BatchPipeline> pipeline;
  if (threads > 1 && to_write.size() > 1) {
    pipeline_wait_ms = 0;
    pipeline.emplace(to_write.size(), build_checked, &pipeline_wait_ms);
  }
  for (size_t i = 0; i < to_write.size(); ++i) {
    FileJob& job = *to_write[i];
    if (!job.force && control.Cancelled()) {
      return finish(Status::Cancelled("ingest cancelled after writing " +
                                      std::to_string(report.files_parsed) + " files"));
    }
    storage::FactBatch batch;
    Status built = pipeline ? pipeline->Next(&batch) : build_checked(i, &batch);
    if (!built.ok()) return finish(built);
    Status s = apply(batch);
    if (s.IsInvalidArgument()) {  // this file's facts are unacceptable; the others still go in
      report.skipped.push_back({batch.path, "not written: " + s.message()});
      continue;
    }
    if (!s.ok()) return finish(s);
    ++(job.is_doc ? report.docs_parsed : report.files_parsed);
    report.nodes_written += batch.nodes.size();
    report.edges_written += batch.edges.size();
  }
  pipeline.reset();  // joins the resolving thread
  snapshot.reset();
  KG_RETURN_IF_ERROR(finish(Status::OK()));
  report.resolve_ms = resolve_ms;
  // Serial: the pass's time less resolution. Pipelined: resolution ran alongside; the write time
  // is then the pass's time less the time spent waiting for resolved batches.
  report.write_ms = ms_since_lap() - (pipeline_wait_ms >= 0 ? pipeline_wait_ms : resolve_ms);
  control.Finished();

  auto by_path = [](const FileIssue& a, const FileIssue& b) { return a.path < b.path; };
  std::sort(report.skipped.begin(), report.skipped.end(), by_path);
  std::sort(report.flagged.begin(), report.flagged.end(), by_path);
  report.elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace

Status CheckAllowedRoot(const std::string& root, const std::vector<std::string>& allowed_roots) {
  if (allowed_roots.empty()) return Status::OK();
  std::error_code ec;
  fs::path canonical = fs::canonical(root, ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory) {
      return Status::NotFound("no such folder: '" + root + "'");
    }
    return Status::IOError("cannot resolve '" + root + "': " + ec.message());
  }
  for (const std::string& a : allowed_roots) {
    fs::path allowed = fs::canonical(a, ec);
    if (ec) continue;  // a missing allowed root allows nothing
    auto [o, r] = std::mismatch(allowed.begin(), allowed.end(), canonical.begin(), canonical.end());
    if (o == allowed.end()) return Status::OK();
  }
  return Status::PermissionDenied("'" + canonical.string() + "' is outside the allowed roots");
}

bool IsIngestedPath(std::string_view path) {
  docs::DocFormat format;
  return languages::LanguageForPath(path) != nullptr || docs::DocFormatForPath(path, &format);
}

Result<IngestReport> IngestPath(storage::GraphStore& store, std::string_view graph,
                                const std::string& root, const IngestOptions& options) {
  try {
    return IngestPathImpl(store, graph, root, options);
  } catch (const std::exception& e) {  // e.g. std::thread or allocation failures
    return Status::Internal(std::string("ingest failed: ") + e.what());
  }
}

}  // namespace kg::ingest
