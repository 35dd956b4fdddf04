#include "server/flags.h"

#include <charconv>
#include <limits>

namespace kg::server {
namespace {

Result<int64_t> ParseInt(const std::string& flag, const std::string& text, int64_t min,
                         int64_t max) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || v < min || v > max) {
    return Status::InvalidArgument(flag + " needs an integer between " + std::to_string(min) +
                                   " and " + std::to_string(max) + ", got '" + text + "'");
  }
  return v;
}

}  // namespace

std::string Usage() {
  return "usage: codekgd [--data DIR] [--host HOST] [--port N] [--threads N]\n"
         "               [--max-body-bytes N] [--token T] [--access-log]\n"
         "  --data DIR          data folder: RocksDB in DIR/db, jobs in DIR/jobs (default ./data)\n"
         "  --host HOST         address to listen on (default 127.0.0.1)\n"
         "  --port N            TCP port; 0 picks a free port (default 7420)\n"
         "  --threads N         request threads; 0 = max(4, cores) (default 0)\n"
         "  --max-body-bytes N  larger request bodies get 413 (default 8388608)\n"
         "  --token T           routes that write need 'Authorization: Bearer T'\n"
         "  --access-log        log one JSON line per request to stderr\n"
         "On start codekgd prints 'codekgd listening on http://HOST:PORT'. SIGTERM/SIGINT stop it\n"
         "gracefully (in-flight requests finish, the store is closed).\n";
}

Result<Flags> ParseFlags(const std::vector<std::string>& args) {
  Flags flags;
  flags.options.data_dir = "data";
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    std::string value;
    bool has_inline = false;
    if (size_t eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      has_inline = true;
    }
    auto take = [&]() -> Result<std::string> {
      if (has_inline) return value;
      if (i + 1 >= args.size()) return Status::InvalidArgument(arg + " needs a value");
      return args[++i];
    };
    if (arg == "--help" || arg == "-h") {
      flags.help = true;
    } else if (arg == "--access-log") {
      flags.options.access_log = true;
    } else if (arg == "--data") {
      KG_ASSIGN_OR_RETURN(flags.options.data_dir, take());
      if (flags.options.data_dir.empty()) return Status::InvalidArgument("--data needs a folder");
    } else if (arg == "--host") {
      KG_ASSIGN_OR_RETURN(flags.options.host, take());
    } else if (arg == "--token") {
      KG_ASSIGN_OR_RETURN(flags.options.token, take());
    } else if (arg == "--port") {
      KG_ASSIGN_OR_RETURN(std::string v, take());
      KG_ASSIGN_OR_RETURN(int64_t port, ParseInt(arg, v, 0, 65535));
      flags.options.port = static_cast<int>(port);
    } else if (arg == "--threads") {
      KG_ASSIGN_OR_RETURN(std::string v, take());
      KG_ASSIGN_OR_RETURN(int64_t n, ParseInt(arg, v, 0, 1024));
      flags.options.threads = static_cast<int>(n);
    } else if (arg == "--max-body-bytes") {
      KG_ASSIGN_OR_RETURN(std::string v, take());
      KG_ASSIGN_OR_RETURN(int64_t n, ParseInt(arg, v, 1, std::numeric_limits<int64_t>::max()));
      flags.options.max_body_bytes = static_cast<size_t>(n);
    } else {
      return Status::InvalidArgument("unknown flag '" + args[i] + "' (see --help)");
    }
  }
  return flags;
}

}  // namespace kg::server
