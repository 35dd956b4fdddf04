#include "server/connection_tracker.h"

#include <dirent.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <cstdlib>
#include <set>
#include <vector>

namespace kg::server {

namespace {

struct Socket {
  int fd;
  std::string peer;
};

// The local port of `fd` and its peer name; false when fd is not a connected TCP socket.
bool Describe(int fd, int* local_port, std::string* peer) {
  sockaddr_storage local{}, remote{};
  socklen_t llen = sizeof(local), rlen = sizeof(remote);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &llen) != 0) return false;
  if (local.ss_family == AF_INET) {
    *local_port = ntohs(reinterpret_cast<sockaddr_in*>(&local)->sin_port);
  } else if (local.ss_family == AF_INET6) {
    *local_port = ntohs(reinterpret_cast<sockaddr_in6*>(&local)->sin6_port);
  } else {
    return false;
  }
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&remote), &rlen) != 0) return false;
  char host[NI_MAXHOST], serv[NI_MAXSERV];
  if (getnameinfo(reinterpret_cast<sockaddr*>(&remote), rlen, host, sizeof(host), serv,
                  sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
    return false;
  }
  *peer = ConnectionTracker::PeerName(host, std::atoi(serv));
  return true;
}

// The process's connected TCP sockets whose local port is `port`.
std::vector<Socket> AcceptedSockets(int port) {
  std::vector<Socket> out;
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return out;
  int dir_fd = dirfd(dir);
  while (dirent* entry = readdir(dir)) {
    char* end = nullptr;
    long fd = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || fd == dir_fd) continue;
    struct stat st;
    if (fstat(static_cast<int>(fd), &st) != 0 || !S_ISSOCK(st.st_mode)) continue;
    int local_port = 0;
    std::string peer;
    if (Describe(static_cast<int>(fd), &local_port, &peer) && local_port == port) {
      out.push_back({static_cast<int>(fd), std::move(peer)});
    }
  }
  closedir(dir);
  return out;
}

}  // namespace

void ConnectionTracker::SetPort(int port) {
  std::lock_guard<std::mutex> lock(mu_);
  port_ = port;
}

void ConnectionTracker::BeginRequest(const std::string& peer) {
  std::lock_guard<std::mutex> lock(mu_);
  Conn& c = conns_[peer];
  ++c.busy;
  c.last = Clock::now();
}

void ConnectionTracker::EndRequest(const std::string& peer) {
  std::lock_guard<std::mutex> lock(mu_);
  Conn& c = conns_[peer];
  if (c.busy > 0) --c.busy;
  c.last = Clock::now();
}

void ConnectionTracker::Touch(const std::string& peer) {
  std::lock_guard<std::mutex> lock(mu_);
  conns_[peer].last = Clock::now();
}

size_t ConnectionTracker::Reap(Clock::duration max_idle) {
  int port;
  {
    std::lock_guard<std::mutex> lock(mu_);
    port = port_;
  }
  if (port <= 0) return 0;
  std::vector<Socket> sockets = AcceptedSockets(port);
  std::vector<Socket> doomed;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto now = Clock::now();
    std::map<std::string, Conn> seen;
    std::set<std::string> still_shut;
    for (Socket& s : sockets) {
      if (shut_.count(s.peer)) {  // shut down already; httplib has not closed it yet
        still_shut.insert(s.peer);
        continue;
      }
      auto it = conns_.find(s.peer);
      Conn c;
      if (it != conns_.end()) {
        c = it->second;
      } else {
        c.last = now;  // first seen now: the idle clock starts here
      }
      if (c.busy == 0 && now - c.last > max_idle) {
        doomed.push_back(std::move(s));
        continue;  // forgotten: its next request (if any) starts a new entry
      }
      seen.emplace(s.peer, c);
    }
    // Connections inside a request stay even when the scan missed them (they are busy, so the
    // socket exists); closed idle connections are forgotten.
    for (auto& [peer, c] : conns_) {
      if (c.busy > 0) seen.emplace(peer, c);
    }
    conns_.swap(seen);
    shut_.swap(still_shut);
    for (const Socket& s : doomed) shut_.insert(s.peer);
  }
  size_t closed = 0;
  for (const Socket& s : doomed) {
    // The descriptor may have been closed and reused since the scan: shut it down only if it is
    // still the same connection.
    int local_port = 0;
    std::string peer;
    if (Describe(s.fd, &local_port, &peer) && local_port == port && peer == s.peer &&
        shutdown(s.fd, SHUT_RDWR) == 0) {
      ++closed;
    }
  }
  return closed;
}

}  // namespace kg::server
