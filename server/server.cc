#include "server/server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "server/connection_tracker.h"
#include "server/handlers/util.h"
#include "server/http_status.h"
#include "server/job_runners.h"
#include "server/routes.h"
#include "server/watches.h"

namespace kg::server {

struct Server::Impl {
  std::unique_ptr<ServerContext> context;
  httplib::Server http;
  std::atomic<bool> bound{false};
  std::atomic<bool> stop_requested{false};
  std::atomic<bool> serving{false};
  ConnectionTracker connections;
  // The reaper thread (runs while Serve() does): closes connections whose request header is
  // overdue, and after Stop() every connection not inside a request.
  std::mutex reaper_mu;
  std::condition_variable reaper_cv;
  bool reaper_done = false;  // GUARDED_BY(reaper_mu)

  void ReapLoop();

  void Dispatch(const httplib::Request& hreq, httplib::Response& hres, std::string body);
  // Reads the body through `reader` (bodies are never read by httplib itself: that would limit
  // form-encoded bodies to 8 KiB and wait for EOF on a POST without Content-Length), then
  // dispatches.
  void ReadAndDispatch(const httplib::Request& hreq, httplib::Response& hres,
                       const httplib::ContentReader& reader);
  // Sets *route to the matched route pattern ("unmatched" when none).
  ApiResponse Route(const httplib::Request& hreq, std::string body, std::string* route);
  // Metrics and the access log line for one finished request.
  void Observe(const httplib::Request& hreq, std::string_view route, int status, size_t bytes,
               std::chrono::steady_clock::time_point start);
  // `peer` names the connection (ConnectionTracker) for streamed responses.
  void Write(const ApiResponse& response, httplib::Response& hres, const std::string& peer = "");
};

void Server::Impl::ReapLoop() {
  const ServerOptions& opts = context->options();
  auto max_idle = std::chrono::seconds(opts.keep_alive_s + opts.request_timeout_s);
  std::unique_lock<std::mutex> lock(reaper_mu);
  while (!reaper_done) {
    bool stopping = stop_requested.load();
    lock.unlock();
    if (stopping) {
      connections.CloseIdle();
    } else {
      connections.Reap(max_idle);
    }
    lock.lock();
    reaper_cv.wait_for(lock, std::chrono::milliseconds(stopping ? 20 : 250));
  }
}

namespace {

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// A JSON error for responses httplib produced itself (payload too large, malformed request).
Status StatusForHttpError(int status, const httplib::Request& req, size_t max_body_bytes) {
  switch (status) {
    case 413:
      return Status::ResourceExhausted("request body exceeds the limit of " +
                                       std::to_string(max_body_bytes) + " bytes");
    case 404:
      return Status::NotFound("no route for " + req.method + " " + req.path);
    case 400:
      return Status::InvalidArgument("malformed HTTP request or body");
    default:
      return Status::Internal("HTTP error " + std::to_string(status));
  }
}

}  // namespace

ApiResponse Server::Impl::Route(const httplib::Request& hreq, std::string body,
                                std::string* route) {
  *route = "unmatched";
  // Match the raw target so that an encoded '/' in a node id stays inside its segment.
  std::string raw_path =
      hreq.target.empty() ? hreq.path : hreq.target.substr(0, hreq.target.find('?'));
  RouteMatch match = MatchRoute(hreq.method, raw_path);
  if (match.route == nullptr) {
    std::string msg = "no route for " + hreq.method + " " + hreq.path;
    if (!match.allowed_methods.empty()) {
      msg += " (allowed methods:";
      for (auto m : match.allowed_methods) msg += " " + std::string(m);
      msg += ")";
    } else {
      msg += " (GET /v1 lists the routes)";
    }
    return ErrorResponse(Status::NotFound(msg));
  }
  *route = std::string(match.route->pattern);
  const ServerOptions& opts = context->options();
  // Liveness, metrics and the explorer's static files (no data in them) stay open.
  std::string_view pattern = match.route->pattern;
  bool open_route =
      pattern == "/healthz" || pattern == "/metrics" || pattern == "/" || pattern == "/ui/{file}";
  bool needs_token =
      !opts.token.empty() && (match.route->writes || (opts.auth_reads && !open_route));
  if (needs_token && !handlers::TokenMatches(hreq.get_header_value("Authorization"), opts.token)) {
    context->metrics().RecordRequestLimitHit("auth");
    return ErrorResponse(Status::PermissionDenied(
        match.route->writes
            ? "this route changes state and needs the header 'Authorization: Bearer <token>'"
            : "this server requires the header 'Authorization: Bearer <token>' on every route"));
  }
  ApiRequest req;
  req.method = hreq.method == "HEAD" ? "GET" : hreq.method;
  req.path = hreq.path;
  req.body = std::move(body);
  for (const auto& [k, v] : hreq.headers) req.headers[Lower(k)] = v;
  for (const auto& [k, v] : hreq.params) req.query.emplace(k, v);
  req.path_params = std::move(match.params);
  Result<ApiResponse> result = match.route->handler(*context, req);
  if (!result.ok()) return ErrorResponse(result.status());
  return std::move(result).value();
}

void Server::Impl::ReadAndDispatch(const httplib::Request& hreq, httplib::Response& hres,
                                   const httplib::ContentReader& reader) {
  auto start = std::chrono::steady_clock::now();
  // A body must arrive within request_timeout_s of its header (a trickle that keeps each read
  // under read_timeout_s would otherwise hold a request thread for ever).
  auto deadline = start + std::chrono::seconds(context->options().request_timeout_s);
  bool too_slow = false;
  std::string body;
  try {
    if (hreq.is_multipart_form_data()) {
      Write(ErrorResponse(Status::InvalidArgument(
                "multipart/form-data bodies are not supported; send a JSON object")),
            hres);
      Observe(hreq, "unread_body", hres.status, hres.body.size(), start);
      return;
    }
    bool chunked =
        Lower(hreq.get_header_value("Transfer-Encoding")).find("chunked") != std::string::npos;
    if (hreq.has_header("Content-Length") || chunked) {
      bool ok = reader([&body, &too_slow, deadline](const char* data, size_t length) {
        if (std::chrono::steady_clock::now() > deadline) {
          too_slow = true;
          return false;
        }
        body.append(data, length);
        return true;
      });
      if (!ok && too_slow) {
        hres.set_header("Connection", "close");
        Write(ErrorResponse(Status::Timeout("the request body did not arrive within " +
                                            std::to_string(context->options().request_timeout_s) +
                                            " s")),
              hres);
        context->metrics().RecordRequestLimitHit("request_timeout");
        Observe(hreq, "unread_body", hres.status, hres.body.size(), start);
        return;
      }
      if (!ok) {
        size_t max_body = context->options().max_body_bytes;
        Write(ErrorResponse(StatusForHttpError(hres.status == 413 ? 413 : 400, hreq, max_body)),
              hres);
        Observe(hreq, "unread_body", hres.status, hres.body.size(), start);
        return;
      }
    }
  } catch (...) {
    Write(ErrorResponse(Status::InvalidArgument("cannot read the request body")), hres);
    Observe(hreq, "unread_body", hres.status, hres.body.size(), start);
    return;
  }
  Dispatch(hreq, hres, std::move(body));
}

void Server::Impl::Dispatch(const httplib::Request& hreq, httplib::Response& hres,
                            std::string body) {
  auto start = std::chrono::steady_clock::now();
  std::string route = "unmatched";
  ApiResponse response;
  try {
    response = Route(hreq, std::move(body), &route);
  } catch (const std::exception& e) {
    response = ErrorResponse(Status::Internal(std::string("unhandled exception: ") + e.what()));
  } catch (...) {
    response = ErrorResponse(Status::Internal("unhandled non-standard exception"));
  }
  try {
    Write(response, hres, ConnectionTracker::PeerName(hreq.remote_addr, hreq.remote_port));
  } catch (...) {
    hres.status = 500;
    hres.set_content(R"({"error":{"code":"internal","message":"cannot write the response"}})",
                     "application/json");
  }
  size_t bytes = response.stream_file.empty() ? hres.body.size() : hres.content_length_;
  Observe(hreq, route, hres.status, bytes, start);
}

void Server::Impl::Observe(const httplib::Request& hreq, std::string_view route, int status,
                           size_t bytes, std::chrono::steady_clock::time_point start) {
  if (status == 413) context->metrics().RecordRequestLimitHit("max_body_bytes");
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::string method = hreq.method == "HEAD" ? "GET" : hreq.method;
  context->metrics().RecordRequest(method, route, status, seconds);
  if (!context->options().access_log) return;
  int64_t ts_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  Json line = {{"ts_ms", ts_ms},        {"remote", hreq.remote_addr},
               {"method", hreq.method}, {"path", hreq.path},
               {"route", route},        {"status", status},
               {"bytes", bytes},        {"ms", std::round(seconds * 1e6) / 1e3}};
  std::string text = DumpJson(line) + "\n";
  std::fwrite(text.data(), 1, text.size(), stderr);
}

void Server::Impl::Write(const ApiResponse& response, httplib::Response& hres,
                         const std::string& peer) {
  hres.status = response.status;
  if (response.stream_file.empty()) {
    hres.set_content(response.body, response.content_type.c_str());
    return;
  }
  auto file = std::make_shared<std::ifstream>(response.stream_file, std::ios::binary);
  std::error_code ec;
  uintmax_t size = std::filesystem::file_size(response.stream_file, ec);
  if (!*file || ec) {
    ApiResponse err = ErrorResponse(Status::IOError("cannot read " + response.stream_file));
    hres.status = err.status;
    hres.set_content(err.body, err.content_type.c_str());
    return;
  }
  hres.set_content_provider(
      static_cast<size_t>(size), response.content_type.c_str(),
      [file, peer, tracker = &connections](size_t offset, size_t length, httplib::DataSink& sink) {
        static constexpr size_t kChunk = 64 * 1024;
        // The response is still moving: not an idle connection.
        if (!peer.empty()) tracker->Touch(peer);
        char buf[kChunk];
        file->clear();
        file->seekg(static_cast<std::streamoff>(offset));
        file->read(buf, static_cast<std::streamsize>(std::min(length, kChunk)));
        std::streamsize n = file->gcount();
        if (n <= 0) return false;  // the file shrank: abort the response
        return sink.write(buf, static_cast<size_t>(n));
      });
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
  Stop();
  Close();
}

ServerContext& Server::context() { return *impl_->context; }

Result<std::unique_ptr<Server>> Server::Open(const ServerOptions& options) {
  if (options.data_dir.empty()) return Status::InvalidArgument("--data must name a folder");
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) {
    return Status::IOError("cannot create data folder " + options.data_dir + ": " + ec.message());
  }
  storage::Options store_options;
  store_options.block_cache_bytes = static_cast<size_t>(options.block_cache_mb) << 20;
  store_options.adjacency_index_bytes = static_cast<size_t>(options.adjacency_index_mb) << 20;
  store_options.write_buffer_bytes = static_cast<size_t>(options.write_buffer_mb) << 20;
  KG_ASSIGN_OR_RETURN(auto store,
                      storage::GraphStore::Open(options.data_dir + "/db", store_options));
  KG_ASSIGN_OR_RETURN(auto jobs, JobStore::Open(store.get(), options.data_dir + "/jobs"));

  auto impl = std::make_unique<Impl>();
  impl->context = std::make_unique<ServerContext>(options, std::move(store), std::move(jobs));
  ServerContext& context = *impl->context;
  auto manager =
      std::make_unique<JobManager>(context.jobs(), context.metrics(), options.job_workers,
                                   static_cast<size_t>(options.job_retention));
  manager->RegisterKind("ingest", MakeIngestRunner(context));
  manager->RegisterKind("synth", MakeSynthRunner(context));
  KG_RETURN_IF_ERROR(manager->Start());  // resumes jobs a previous process left unfinished
  context.SetJobManager(std::move(manager));
  // Watches of the previous run come back (each with an incremental initial ingest).
  KG_ASSIGN_OR_RETURN(int restored, RestoreWatches(context));
  if (restored > 0) std::fprintf(stderr, "codekgd: restored %d watch(es)\n", restored);
  Impl* self = impl.get();
  httplib::Server& http = impl->http;

  int threads = options.threads > 0
                    ? options.threads
                    : std::max(4, static_cast<int>(std::thread::hardware_concurrency()));
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_payload_max_length(options.max_body_bytes);
  // SO_REUSEADDR only: httplib's default adds SO_REUSEPORT, which would let a second codekgd bind
  // the same port and silently take half of the connections.
  http.set_socket_options([](int sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  // Small JSON answers must not wait for Nagle's algorithm and the client's delayed ACK (about
  // 40 ms per keep-alive request otherwise).
  http.set_tcp_nodelay(true);
  http.set_keep_alive_timeout(options.keep_alive_s);
  // A keep-alive connection holds a request thread; it is closed after this many requests (the
  // client reconnects) so that waiting connections get a turn. httplib's default of 5 would make
  // keep-alive nearly useless.
  http.set_keep_alive_max_count(1000);
  // Slow clients (a header or body trickling in, a response not being read) are disconnected
  // after these, so they cannot pin request threads.
  http.set_read_timeout(options.read_timeout_s, 0);
  http.set_write_timeout(options.write_timeout_s, 0);
  // Every request is "inside a request" for the connection tracker from the end of its header
  // until its handler returns.
  httplib::Server::Handler dispatch = [self](const httplib::Request& req, httplib::Response& res) {
    ConnectionTracker::Scope busy(self->connections,
                                  ConnectionTracker::PeerName(req.remote_addr, req.remote_port));
    self->Dispatch(req, res, std::string());
  };
  httplib::Server::HandlerWithContentReader dispatch_with_body =
      [self](const httplib::Request& req, httplib::Response& res,
             const httplib::ContentReader& reader) {
        ConnectionTracker::Scope busy(
            self->connections, ConnectionTracker::PeerName(req.remote_addr, req.remote_port));
        self->ReadAndDispatch(req, res, reader);
      };
  const char* kAny = R"(/.*)";
  http.Get(kAny, dispatch);
  http.Options(kAny, dispatch);
  http.Post(kAny, dispatch_with_body);
  http.Put(kAny, dispatch_with_body);
  http.Patch(kAny, dispatch_with_body);
  http.Delete(kAny, dispatch_with_body);
  size_t max_body = options.max_body_bytes;
  // Responses httplib makes on its own (413, malformed requests) get the same JSON error shape.
  http.set_error_handler([self, max_body](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (res.status == 413) self->context->metrics().RecordRequestLimitHit("max_body_bytes");
    ApiResponse err = ErrorResponse(StatusForHttpError(res.status, req, max_body));
    res.set_content(err.body, err.content_type.c_str());
  });
  http.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        ApiResponse err = ErrorResponse(Status::Internal("unhandled exception"));
        res.status = err.status;
        res.set_content(err.body, err.content_type.c_str());
      });
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Result<int> Server::Bind() {
  const ServerOptions& opts = impl_->context->options();
  int port = -1;
  if (opts.port == 0) {
    port = impl_->http.bind_to_any_port(opts.host);
  } else if (impl_->http.bind_to_port(opts.host, opts.port)) {
    port = opts.port;
  }
  if (port <= 0) {
    return Status::IOError("cannot listen on " + opts.host + ":" + std::to_string(opts.port));
  }
  impl_->bound = true;
  impl_->connections.SetPort(port);
  return port;
}

Status Server::Serve() {
  if (!impl_->bound) return Status::Internal("Serve() before a successful Bind()");
  // serving is set before stop_requested is read, and Stop() sets stop_requested before it reads
  // serving: a Stop() racing with the start of Serve() is never lost.
  impl_->serving = true;
  if (impl_->stop_requested) {
    impl_->serving = false;
    return Status::OK();
  }
  {
    std::lock_guard<std::mutex> lock(impl_->reaper_mu);
    impl_->reaper_done = false;
  }
  std::thread reaper([impl = impl_.get()] { impl->ReapLoop(); });
  bool ok = impl_->http.listen_after_bind();
  {
    std::lock_guard<std::mutex> lock(impl_->reaper_mu);
    impl_->reaper_done = true;
  }
  impl_->reaper_cv.notify_all();
  reaper.join();
  impl_->serving = false;
  if (!ok) return Status::IOError("the HTTP listener failed");
  return Status::OK();
}

void Server::Stop() {
  if (!impl_) return;
  impl_->stop_requested = true;
  // Jobs and watches first: running jobs are interrupted (and resumed at the next start), and
  // requests waiting for a job (?wait=true) return, so the listener can drain promptly.
  if (impl_->context) impl_->context->StopBackground();
  // Serve() may be between its check and the listener's start: wait for it to be running.
  for (int i = 0; i < 500 && impl_->serving && !impl_->http.is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (impl_->http.is_running()) impl_->http.stop();
  // Idle keep-alive connections would hold Serve() for up to keep_alive_s: close them now (the
  // reaper thread keeps doing so until Serve() returns); requests in flight finish.
  impl_->connections.CloseIdle();
  impl_->reaper_cv.notify_all();
}

void Server::Close() {
  if (impl_ && impl_->context) impl_->context->CloseStore();
}

}  // namespace kg::server
