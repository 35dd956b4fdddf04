#pragma once
// Command-line flags of codekgd.
//
//   --data DIR            data folder: RocksDB in DIR/db, jobs in DIR/jobs (default ./data)
//   --host HOST           address to listen on (default 127.0.0.1)
//   --port N              TCP port, 0 = any free port (default 7420)
//   --threads N           request threads, 0 = max(4, cores) (default 0)
//   --max-body-bytes N    request bodies above N bytes get 413 (default 8 MiB)
//   --token T             require "Authorization: Bearer T" on routes that write
//   --access-log          one JSON line per request on stderr (ts_ms, remote, method, path,
//                         route, status, bytes, ms)
//   --help                print usage
// Both "--flag value" and "--flag=value" work. Pure; thread-safe.

#include <string>
#include <vector>

#include "common/result.h"
#include "server/context.h"

namespace kg::server {

struct Flags {
  ServerOptions options;
  bool help = false;
};

// InvalidArgument naming the flag for an unknown flag, a missing value or a bad number.
Result<Flags> ParseFlags(const std::vector<std::string>& args);

// The usage text printed by --help.
std::string Usage();

}  // namespace kg::server
