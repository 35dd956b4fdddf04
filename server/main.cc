// codekgd: the codekg HTTP service. Settings (flags, env, config file): server/flags.h. HTTP
// contract: server/api.md.
#include <pthread.h>
#include <signal.h>

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <map>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "server/flags.h"
#include "server/server.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    size_t eq = entry.find('=');
    if (eq != std::string_view::npos && entry.substr(0, 7) == "CODEKG_") {
      env.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
    }
  }
  auto flags = kg::server::LoadSettings(args, env);
  if (!flags.ok()) {
    std::fprintf(stderr, "codekgd: %s\n%s", flags.status().message().c_str(),
                 kg::server::Usage().c_str());
    return 2;
  }
  if (flags->help) {
    std::fputs(kg::server::Usage().c_str(), stdout);
    return 0;
  }

  // SIGTERM/SIGINT are blocked in every thread (set before any thread exists) and received by
  // one watcher thread with sigwait, which calls Server::Stop() outside signal context.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto server = kg::server::Server::Open(flags->options);
  if (!server.ok()) {
    std::fprintf(stderr, "codekgd: cannot open %s: %s\n", flags->options.data_dir.c_str(),
                 server.status().ToString().c_str());
    return 1;
  }
  auto port = (*server)->Bind();
  if (!port.ok()) {
    std::fprintf(stderr, "codekgd: %s\n", port.status().ToString().c_str());
    return 1;
  }

  kg::server::Server* srv = server->get();
  std::atomic<bool> exiting{false};
  std::thread watcher([srv, stop_signals, &exiting] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    if (exiting) return;  // woken by main below: Serve() already returned
    std::fprintf(stderr, "codekgd: signal %d, stopping\n", sig);
    srv->Stop();
  });

  std::printf("codekgd listening on http://%s:%d\n", flags->options.host.c_str(), *port);
  std::fflush(stdout);

  kg::Status served = srv->Serve();
  // Serve() returns as soon as Stop() has stopped the listener, while Stop() may still be closing
  // idle connections: the server must outlive it (found by TSan: Stop()'s notify raced ~Impl).
  // A watcher still in sigwait (the listener stopped on its own) is woken and exits.
  exiting = true;
  pthread_kill(watcher.native_handle(), SIGTERM);
  watcher.join();
  srv->Close();
  if (!served.ok()) {
    std::fprintf(stderr, "codekgd: %s\n", served.ToString().c_str());
    return 1;
  }
  std::fprintf(stderr, "codekgd: stopped\n");
  return 0;
}
