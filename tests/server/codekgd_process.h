#pragma once
// Test helpers: a temp folder and the real codekgd binary as a child process (RAII: the child is
// killed and reaped on every path out of a test, including failed assertions).

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace kg::server::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "codekg_server_test_XXXXXX").string();
    if (mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class CodekgdProcess {
 public:
  // Starts `binary` with `args` and waits (up to 30 s) for the "codekgd listening on
  // http://HOST:PORT" line. On failure returns nullptr and sets *error. When `stderr_path` is
  // not empty, the child's stderr goes to that file (created or truncated).
  static std::unique_ptr<CodekgdProcess> Start(const std::string& binary,
                                               const std::vector<std::string>& args,
                                               std::string* error,
                                               const std::string& stderr_path = "") {
    int fds[2];
    if (pipe(fds) != 0) {
      *error = "pipe failed";
      return nullptr;
    }
    pid_t pid = fork();
    if (pid < 0) {
      *error = "fork failed";
      return nullptr;
    }
    if (pid == 0) {
      dup2(fds[1], STDOUT_FILENO);
      if (!stderr_path.empty()) {
        int err = open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (err >= 0) dup2(err, STDERR_FILENO);
      }
      close(fds[0]);
      close(fds[1]);
      std::vector<char*> argv;
      argv.push_back(const_cast<char*>(binary.c_str()));
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
    close(fds[1]);
    std::unique_ptr<CodekgdProcess> proc(new CodekgdProcess(pid, fds[0]));
    std::string line;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (line.find('\n') == std::string::npos) {
      int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                      deadline - std::chrono::steady_clock::now())
                                      .count());
      if (left <= 0) {
        *error = "codekgd printed no listening line within 30 s (got '" + line + "')";
        return nullptr;
      }
      pollfd p{fds[0], POLLIN, 0};
      if (poll(&p, 1, left) <= 0) continue;
      char buf[256];
      ssize_t n = read(fds[0], buf, sizeof(buf));
      if (n <= 0) {
        *error = "codekgd exited before listening (stdout so far: '" + line + "')";
        return nullptr;
      }
      line.append(buf, static_cast<size_t>(n));
    }
    const std::string prefix = "codekgd listening on http://";
    size_t at = line.find(prefix);
    size_t colon = at == std::string::npos ? std::string::npos : line.rfind(':', line.find('\n'));
    if (at == std::string::npos || colon == std::string::npos || colon < at + prefix.size()) {
      *error = "unexpected first line: " + line;
      return nullptr;
    }
    proc->host_ = line.substr(at + prefix.size(), colon - at - prefix.size());
    proc->port_ = std::atoi(line.c_str() + colon + 1);
    if (proc->port_ <= 0) {
      *error = "bad port in: " + line;
      return nullptr;
    }
    return proc;
  }

  ~CodekgdProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
    if (stdout_fd_ >= 0) close(stdout_fd_);
  }
  CodekgdProcess(const CodekgdProcess&) = delete;
  CodekgdProcess& operator=(const CodekgdProcess&) = delete;

  int port() const { return port_; }
  const std::string& host() const { return host_; }
  pid_t pid() const { return pid_; }

  // Sends `sig` and waits up to `timeout` for the exit. Returns the exit code, 128+signal if
  // killed by a signal, or -1 on timeout (the child is then SIGKILLed by the destructor).
  int SignalAndWait(int sig, std::chrono::seconds timeout = std::chrono::seconds(20)) {
    if (pid_ <= 0) return -1;
    kill(pid_, sig);
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      pid_t r = waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        pid_ = -1;
        if (WIFEXITED(status)) return WEXITSTATUS(status);
        if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
        return -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
  }

 private:
  CodekgdProcess(pid_t pid, int fd) : pid_(pid), stdout_fd_(fd) {}
  pid_t pid_;
  int stdout_fd_;
  std::string host_;
  int port_ = 0;
};

}  // namespace kg::server::testing
