#pragma once
// Server: codekgd's HTTP service (cpp-httplib) over one GraphStore and one JobStore.
//
// Lifecycle: Open() (opens the store, resumes interrupted jobs) -> Bind() -> Serve() (blocks) ...
// Stop() from another thread (interrupts running jobs, which stay resumable, and stops watches;
// then the listener) -> Serve() returns once every in-flight request has finished -> Close() (or
// the destructor) closes the store.
//
// Every request goes through one dispatcher: the routes table (routes.h) picks the handler, the
// handler's Status becomes HTTP via http_status.h, and any exception is caught and reported as a
// 500 JSON error, so no request can take the server down. Bodies above
// ServerOptions::max_body_bytes get 413; unknown routes get a 404 JSON error.

#include <memory>

#include "common/result.h"
#include "common/status.h"
#include "server/context.h"

namespace kg::server {

class Server {
 public:
  // Opens the store in <data_dir>/db (creating it), job results in <data_dir>/jobs, and starts the
  // job workers (jobs left unfinished by a previous process are queued again).
  // Errors: InvalidArgument (empty data_dir), IOError/Corruption from storage (e.g. the database
  // is locked by another codekgd).
  static Result<std::unique_ptr<Server>> Open(const ServerOptions& options);

  ~Server();  // Stop() + Close()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds host:port (port 0 = any free port). Returns the bound port. IOError if it cannot bind.
  Result<int> Bind();

  // Serves requests until Stop(). REQUIRES: Bind() succeeded. Returns OK after a Stop(); IOError
  // if the listener failed.
  Status Serve();

  // Makes Serve() return. Thread-safe; idempotent. Not async-signal-safe: call it from a normal
  // thread (main.cc waits for signals with sigwait in a thread of its own).
  void Stop();

  // Closes the store. REQUIRES: Serve() is not running.
  void Close();

  ServerContext& context();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kg::server
