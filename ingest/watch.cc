// Watcher: inotify watches on every walked folder, a debounce loop, IngestPath on change.

#include "ingest/watch.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <map>
#include <system_error>
#include <utility>
#include <vector>

#include "common/system.h"

namespace kg::ingest {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr uint32_t kDirMask = IN_CLOSE_WRITE | IN_MODIFY | IN_CREATE | IN_DELETE | IN_MOVED_FROM |
                              IN_MOVED_TO | IN_DELETE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW;

}  // namespace

class Watcher::Impl {
 public:
  Impl(storage::GraphStore& store, std::string graph, std::string root, IngestOptions options,
       int debounce_ms, ReportFn on_report, int inotify_fd, int stop_fd)
      : store_(store),
        graph_(std::move(graph)),
        root_(std::move(root)),
        options_(std::move(options)),
        debounce_(debounce_ms),
        on_report_(std::move(on_report)),
        inotify_(inotify_fd),
        stop_fd_(stop_fd) {
    user_cancelled_ = std::move(options_.cancelled);
    options_.cancelled = [this] { return stop_.load() || (user_cancelled_ && user_cancelled_()); };
  }

  // Watches `rel` (repository-relative, "" = root) and every folder below it that the walk
  // would enter. Folders that cannot be watched are remembered for the next report.
  Status WatchTree(const std::string& rel) {
    std::vector<std::string> stack = {rel};
    while (!stack.empty()) {
      std::string dir = std::move(stack.back());
      stack.pop_back();
      fs::path abs = dir.empty() ? fs::path(root_) : fs::path(root_) / dir;
      int wd = inotify_add_watch(inotify_.get(), abs.c_str(), kDirMask);
      if (wd < 0) {
        int err = errno;
        if (err == ENOENT || err == ENOTDIR) continue;  // gone meanwhile
        std::string reason = std::string("cannot watch folder: ") + std::strerror(err);
        if (dir.empty()) {
          return err == ENOSPC ? Status::ResourceExhausted(reason) : Status::IOError(reason);
        }
        issues_.push_back({dir, reason});
        if (err == ENOSPC && rel.empty()) return Status::ResourceExhausted(reason);
        continue;
      }
      dirs_[wd] = dir;
      std::error_code ec;
      fs::directory_iterator it(abs, ec), end;
      for (; !ec && it != end; it.increment(ec)) {
        std::error_code sec;
        if (!it->is_directory(sec) || it->is_symlink(sec)) continue;
        std::string name = it->path().filename().string();
        if (Excluded(name)) continue;
        stack.push_back(dir.empty() ? name : dir + "/" + name);
      }
    }
    return Status::OK();
  }

  Result<IngestReport> Ingest() { return IngestPath(store_, graph_, root_, options_); }

  // The watcher thread's loop: until Stop().
  void Run() {
    bool pending = false;
    Clock::time_point last_event;
    alignas(inotify_event) char buf[64 * 1024];
    while (!stop_.load()) {
      int timeout = -1;
      if (pending) {
        auto due = last_event + std::chrono::milliseconds(debounce_);
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(due - Clock::now());
        timeout = static_cast<int>(std::max<int64_t>(0, left.count()));
      }
      pollfd fds[2] = {{inotify_.get(), POLLIN, 0}, {stop_fd_.get(), POLLIN, 0}};
      int n = poll(fds, 2, timeout);
      if (stop_.load()) break;
      if (n < 0) {
        if (errno == EINTR) continue;
        on_report_(Status::IOError(std::string("inotify poll failed: ") + std::strerror(errno)));
        break;
      }
      if (n > 0 && (fds[0].revents & POLLIN)) {
        ssize_t len = read(inotify_.get(), buf, sizeof(buf));
        if (len > 0 && HandleEvents(buf, static_cast<size_t>(len))) {
          pending = true;
          last_event = Clock::now();
        }
        continue;
      }
      if (pending && Clock::now() >= last_event + std::chrono::milliseconds(debounce_)) {
        pending = false;
        Result<IngestReport> result = Ingest();
        if (stop_.load() && !result.ok() && result.status().IsCancelled()) break;
        if (result.ok()) TakeIssues(&result.value());
        on_report_(result);
      }
    }
  }

  // Moves the folders that could not be watched into `report`.
  void TakeIssues(IngestReport* report) {
    report->skipped.insert(report->skipped.end(), issues_.begin(), issues_.end());
    issues_.clear();
  }

  // Passes `report` to the on_report function (the one instance, so its state carries over).
  void Report(const Result<IngestReport>& report) { on_report_(report); }

  void RequestStop() {
    stop_.store(true);
    uint64_t one = 1;
    ssize_t ignored = write(stop_fd_.get(), &one, sizeof(one));
    (void)ignored;
  }

 private:
  bool Excluded(const std::string& name) const {
    if (options_.skip_hidden_dirs && name.size() > 1 && name[0] == '.') return true;
    return std::find(options_.exclude_dirs.begin(), options_.exclude_dirs.end(), name) !=
           options_.exclude_dirs.end();
  }

  // Processes a buffer of inotify events; true when one of them calls for a re-ingest.
  bool HandleEvents(const char* buf, size_t len) {
    bool relevant = false;
    for (size_t off = 0; off + sizeof(inotify_event) <= len;) {
      const auto* ev = reinterpret_cast<const inotify_event*>(buf + off);
      off += sizeof(inotify_event) + ev->len;
      if (ev->mask & IN_Q_OVERFLOW) {  // events were lost: re-ingest, re-check the watches
        relevant = true;
        Status ignored = WatchTree("");
        (void)ignored;
        continue;
      }
      auto dir = dirs_.find(ev->wd);
      if (ev->mask & IN_IGNORED) {
        if (dir != dirs_.end()) dirs_.erase(dir);
        continue;
      }
      if (dir == dirs_.end()) continue;
      if (ev->mask & IN_DELETE_SELF) {
        relevant = true;
        continue;
      }
      std::string name = ev->len > 0 ? std::string(ev->name) : std::string();
      if (name.empty()) continue;
      std::string rel = dir->second.empty() ? name : dir->second + "/" + name;
      if (ev->mask & IN_ISDIR) {
        if (Excluded(name)) continue;
        relevant = true;
        if (ev->mask & (IN_CREATE | IN_MOVED_TO)) {
          Status ignored = WatchTree(rel);
          (void)ignored;
        }
        continue;
      }
      if (IsIngestedPath(rel)) relevant = true;
    }
    return relevant;
  }

  storage::GraphStore& store_;
  const std::string graph_;
  const std::string root_;
  IngestOptions options_;
  std::function<bool()> user_cancelled_;
  const int debounce_;
  const ReportFn on_report_;
  UniqueFd inotify_;
  UniqueFd stop_fd_;
  std::atomic<bool> stop_{false};
  std::map<int, std::string> dirs_;  // watch descriptor -> repository-relative folder
  std::vector<FileIssue> issues_;    // folders that could not be watched, for the next report
};

Watcher::Watcher(std::unique_ptr<Impl> impl, std::string root)
    : impl_(std::move(impl)), root_(std::move(root)) {}

Result<std::unique_ptr<Watcher>> Watcher::Start(storage::GraphStore& store, std::string graph,
                                                std::string root, IngestOptions options,
                                                int debounce_ms, ReportFn on_report) {
  if (debounce_ms < 0) return Status::InvalidArgument("debounce_ms must be >= 0");
  KG_RETURN_IF_ERROR(CheckAllowedRoot(root, options.allowed_roots));
  std::error_code ec;
  fs::path canonical = fs::canonical(root, ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory) {
      return Status::NotFound("no such folder: '" + root + "'");
    }
    return Status::IOError("cannot resolve '" + root + "': " + ec.message());
  }
  if (!fs::is_directory(canonical, ec)) {
    return Status::InvalidArgument("not a folder: '" + root + "'");
  }
  int in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (in < 0) {
    std::string reason = std::string("inotify_init1 failed: ") + std::strerror(errno);
    return errno == EMFILE ? Status::ResourceExhausted(reason) : Status::IOError(reason);
  }
  int stop_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (stop_fd < 0) {
    close(in);
    return Status::IOError(std::string("eventfd failed: ") + std::strerror(errno));
  }
  if (!on_report) on_report = [](const Result<IngestReport>&) {};
  auto impl =
      std::make_unique<Impl>(store, std::move(graph), canonical.string(), std::move(options),
                             debounce_ms, std::move(on_report), in, stop_fd);
  // Watches first, so that changes made during the initial ingest are not missed.
  KG_RETURN_IF_ERROR(impl->WatchTree(""));
  Result<IngestReport> initial = impl->Ingest();
  if (!initial.ok()) return initial.status();
  impl->TakeIssues(&initial.value());
  // The watcher thread calls the same instance later: a copy here would run a stateful
  // on_report's first call twice (once per copy).
  impl->Report(initial);
  std::unique_ptr<Watcher> watcher(new Watcher(std::move(impl), canonical.string()));
  try {
    watcher->thread_ = std::thread([w = watcher.get()] { w->impl_->Run(); });
  } catch (const std::system_error& e) {
    return Status::ResourceExhausted(std::string("cannot start the watcher thread: ") + e.what());
  }
  return watcher;
}

void Watcher::Stop() {
  std::lock_guard<std::mutex> lock(stop_mu_);
  impl_->RequestStop();
  if (thread_.joinable()) thread_.join();
}

Watcher::~Watcher() { Stop(); }

}  // namespace kg::ingest
