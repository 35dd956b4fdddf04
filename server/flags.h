#pragma once
// codekgd's settings: command-line flags, environment variables and a config file.
//
// Every setting has one name, used in all three places:
//   flag      --NAME VALUE  or  --NAME=VALUE   (booleans: --NAME alone means true)
//   env       CODEKG_<NAME upper-cased, '-' -> '_'>, e.g. CODEKG_MAX_BODY_BYTES
//   file      NAME = VALUE lines (key=value; '#' starts a comment line), or one JSON object
//             {"NAME": VALUE, ...} (a file whose first non-blank byte is '{' is JSON; values
//             may be strings, integers, booleans, or an array for the repeatable allow-root)
// Precedence: flags > env > file > defaults. The file is named by --config FILE (or
// CODEKG_CONFIG). A repeatable setting (allow-root) accumulates within one source, and the
// highest source that sets it replaces the lower ones' lists; in CODEKG_ALLOW_ROOT several
// roots are separated by ':'.
//
//   data DIR               data folder: RocksDB in DIR/db, job results in DIR/jobs (./data)
//   host HOST              address to listen on (127.0.0.1)
//   port N                 TCP port, 0 = any free port (7420)
//   threads N              request threads, 0 = max(4, cores) (0)
//   job-workers N          jobs (ingest, synth) running at once (2)
//   job-retention N        finished jobs kept (records and results files; the most recently
//                          finished stay, older ones are deleted); 0 keeps all (1000)
//   block-cache-mb N       RocksDB block cache in MiB (256)
//   adjacency-index-mb N   in-memory edge indexes of all graphs in MiB, 0 = off (256)
//   write-buffer-mb N      RocksDB memtables of all column families in MiB, >= 1 (128)
//   max-body-bytes N       larger request bodies get 413 (8 MiB)
//   query-timeout-ms N     a query's default timeout (30000)
//   max-query-timeout-ms N upper bound for a request's timeout_ms (600000)
//   query-rows N           a query's default row limit (10000)
//   max-query-rows N       upper bound for a request's limit (100000)
//   max-expansions N       edges one query may visit before it stops (10000000)
//   read-timeout-s N       a client that sends nothing for N s is disconnected (5)
//   write-timeout-s N      a client that reads nothing for N s is disconnected (5)
//   keep-alive-s N         idle keep-alive connections are closed after N s (5)
//   request-timeout-s N    a request's header (after keep-alive-s idle) and its body must each
//                          arrive within N s, or the client is disconnected (30)
//   token T                routes (and MCP tools) that write need "Authorization: Bearer T"
//   auth-reads BOOL        with a token: every route but /healthz and /metrics needs it (false)
//   allow-root DIR         repeatable: ingest only inside these folders (403 otherwise)
//   access-log BOOL        one JSON line per request on stderr (false)
// Pure; thread-safe.

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "server/context.h"

namespace kg::server {

struct Flags {
  ServerOptions options;
  bool help = false;
  std::string config_file;  // the --config / CODEKG_CONFIG file that was read ("" if none)
};

// One named value from some source, e.g. {"port", "7420"}.
using Setting = std::pair<std::string, std::string>;

// Flags only, over the defaults (no env, no file). InvalidArgument naming the flag for an unknown
// flag, a missing value, a bad number or a stray positional argument.
Result<Flags> ParseFlags(const std::vector<std::string>& args);

// All sources with the precedence above: defaults < file < env < flags. `env` holds the process
// environment (only CODEKG_* names are looked at). InvalidArgument naming the source (flag, env
// variable, or file:line) for a bad value; NotFound/IOError when the config file cannot be read.
Result<Flags> LoadSettings(const std::vector<std::string>& args,
                           const std::map<std::string, std::string>& env);

// The settings of a config file's text (key=value lines or a JSON object), in file order.
// InvalidArgument with the line number (or the JSON error) for malformed text or an unknown key.
Result<std::vector<Setting>> ParseConfigText(std::string_view text);

// The usage text printed by --help.
std::string Usage();

}  // namespace kg::server
