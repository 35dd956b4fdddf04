#pragma once
// ConnectionTracker: knows which accepted HTTP connections of codekgd are inside a request, and
// closes the others when they must go: at shutdown (idle keep-alive connections would otherwise
// hold Serve() for up to keep-alive-s) and when a client trickles its request header in so slowly
// that the per-read timeout never fires (slowloris; cpp-httplib 0.11 has no deadline for a whole
// header).
//
// cpp-httplib does not expose its connection sockets, so the tracker finds them itself: the
// process's open sockets (Linux /proc/self/fd) whose local port is the listening port and that
// have a peer. A connection is named by its peer "address:port", as httplib::Request's
// remote_addr/remote_port name it. "Closing" is shutdown(SHUT_RDWR): httplib's connection thread
// then sees EOF and closes the descriptor itself, so descriptors are never closed behind its back.
// Without /proc the tracker does nothing (Reap/CloseIdle return 0).
//
// Thread-safety: every method may be called from any thread.

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

namespace kg::server {

class ConnectionTracker {
 public:
  using Clock = std::chrono::steady_clock;

  ConnectionTracker() = default;
  ConnectionTracker(const ConnectionTracker&) = delete;
  ConnectionTracker& operator=(const ConnectionTracker&) = delete;

  // The listening port whose accepted connections are tracked (0 = none yet: nothing is closed).
  void SetPort(int port);

  // A request of connection `peer` is being handled from now until the matching EndRequest().
  // Requests may nest or overlap per peer (counted).
  void BeginRequest(const std::string& peer);
  void EndRequest(const std::string& peer);
  // The connection made progress outside a request (e.g. a streamed response sent a chunk).
  void Touch(const std::string& peer);

  // Shuts down every tracked connection that is not inside a request and has been idle (no
  // request begun or ended, no Touch, since it was first seen) for longer than `max_idle`.
  // Returns how many were shut down.
  size_t Reap(Clock::duration max_idle);

  // Shuts down every connection that is not inside a request, now. Returns how many.
  size_t CloseIdle() { return Reap(Clock::duration::min()); }

  // "addr:port" as httplib spells a request's peer.
  static std::string PeerName(std::string_view addr, int port) {
    return std::string(addr) + ":" + std::to_string(port);
  }

  // RAII: BeginRequest in the constructor, EndRequest in the destructor.
  class Scope {
   public:
    Scope(ConnectionTracker& tracker, std::string peer)
        : tracker_(tracker), peer_(std::move(peer)) {
      tracker_.BeginRequest(peer_);
    }
    ~Scope() { tracker_.EndRequest(peer_); }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    ConnectionTracker& tracker_;
    std::string peer_;
  };

 private:
  struct Conn {
    int busy = 0;
    Clock::time_point last;
  };
  std::mutex mu_;
  int port_ = 0;                       // GUARDED_BY(mu_)
  std::map<std::string, Conn> conns_;  // GUARDED_BY(mu_)
  std::set<std::string> shut_;         // GUARDED_BY(mu_): shut down, not yet closed by httplib
};

}  // namespace kg::server
