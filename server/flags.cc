#include "server/flags.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <functional>
#include <limits>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

namespace kg::server {
namespace {

constexpr int64_t kMaxInt = std::numeric_limits<int64_t>::max();

Result<int64_t> ParseInt(const std::string& where, const std::string& text, int64_t min,
                         int64_t max) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || v < min || v > max) {
    return Status::InvalidArgument(where + " needs an integer between " + std::to_string(min) +
                                   " and " + std::to_string(max) + ", got '" + text + "'");
  }
  return v;
}

Result<bool> ParseBool(const std::string& where, const std::string& text) {
  if (text == "true" || text == "1" || text == "yes" || text == "on") return true;
  if (text == "false" || text == "0" || text == "no" || text == "off") return false;
  return Status::InvalidArgument(where + " needs true or false, got '" + text + "'");
}

// One setting: how to apply a textual value to ServerOptions. `where` names the source for
// messages ("--port", "CODEKG_PORT", "codekgd.conf:3").
struct SettingDef {
  std::string_view name;
  bool is_bool;
  bool repeatable;
  std::function<Status(ServerOptions&, const std::string& where, const std::string& value)> apply;
};

template <typename T>
SettingDef IntSetting(std::string_view name, T ServerOptions::*field, int64_t min, int64_t max) {
  return {name, false, false,
          [field, min, max](ServerOptions& o, const std::string& where, const std::string& v) {
            KG_ASSIGN_OR_RETURN(int64_t n, ParseInt(where, v, min, max));
            o.*field = static_cast<T>(n);
            return Status::OK();
          }};
}

SettingDef BoolSetting(std::string_view name, bool ServerOptions::*field) {
  return {name, true, false,
          [field](ServerOptions& o, const std::string& where, const std::string& v) {
            KG_ASSIGN_OR_RETURN(o.*field, ParseBool(where, v));
            return Status::OK();
          }};
}

SettingDef StringSetting(std::string_view name, std::string ServerOptions::*field,
                         bool allow_empty) {
  return {name, false, false,
          [field, allow_empty](ServerOptions& o, const std::string& where, const std::string& v) {
            if (v.empty() && !allow_empty) return Status::InvalidArgument(where + " needs a value");
            o.*field = v;
            return Status::OK();
          }};
}

const std::vector<SettingDef>& Settings() {
  static const std::vector<SettingDef> kSettings = {
      StringSetting("data", &ServerOptions::data_dir, false),
      StringSetting("host", &ServerOptions::host, false),
      IntSetting("port", &ServerOptions::port, 0, 65535),
      IntSetting("threads", &ServerOptions::threads, 0, 1024),
      IntSetting("job-workers", &ServerOptions::job_workers, 1, 64),
      IntSetting("job-retention", &ServerOptions::job_retention, 0, kMaxInt),
      IntSetting("block-cache-mb", &ServerOptions::block_cache_mb, 1, 1 << 20),
      IntSetting("adjacency-index-mb", &ServerOptions::adjacency_index_mb, 0, 1 << 20),
      IntSetting("write-buffer-mb", &ServerOptions::write_buffer_mb, 1, 1 << 20),
      IntSetting("max-body-bytes", &ServerOptions::max_body_bytes, 1, kMaxInt),
      IntSetting("query-timeout-ms", &ServerOptions::default_query_timeout_ms, 1, kMaxInt),
      IntSetting("max-query-timeout-ms", &ServerOptions::max_query_timeout_ms, 1, kMaxInt),
      IntSetting("query-rows", &ServerOptions::default_query_rows, 1, kMaxInt),
      IntSetting("max-query-rows", &ServerOptions::max_query_rows, 1, kMaxInt),
      IntSetting("max-expansions", &ServerOptions::max_expansions, 1, kMaxInt),
      IntSetting("read-timeout-s", &ServerOptions::read_timeout_s, 1, 3600),
      IntSetting("write-timeout-s", &ServerOptions::write_timeout_s, 1, 3600),
      IntSetting("keep-alive-s", &ServerOptions::keep_alive_s, 1, 3600),
      IntSetting("request-timeout-s", &ServerOptions::request_timeout_s, 1, 3600),
      StringSetting("token", &ServerOptions::token, true),
      BoolSetting("auth-reads", &ServerOptions::auth_reads),
      {"allow-root", false, true,
       [](ServerOptions& o, const std::string& where, const std::string& v) {
         if (v.empty()) return Status::InvalidArgument(where + " needs a folder");
         o.allowed_roots.push_back(v);
         return Status::OK();
       }},
      BoolSetting("access-log", &ServerOptions::access_log),
  };
  return kSettings;
}

const SettingDef* FindSetting(std::string_view name) {
  for (const SettingDef& d : Settings()) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

std::string EnvName(std::string_view name) {
  std::string out = "CODEKG_";
  for (char c : name) out.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(c)));
  return out;
}

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

// Applies one source's settings (each with its `where`) to `options`. A repeatable setting's
// first occurrence in this source clears the list from lower sources.
Status ApplySource(ServerOptions& options,
                   const std::vector<std::pair<Setting, std::string>>& source) {
  std::vector<std::string_view> cleared;
  for (const auto& [setting, where] : source) {
    const SettingDef* def = FindSetting(setting.first);
    if (def == nullptr)
      return Status::InvalidArgument(where + ": unknown setting '" + setting.first + "'");
    if (def->repeatable && std::find(cleared.begin(), cleared.end(), def->name) == cleared.end()) {
      cleared.push_back(def->name);
      if (def->name == "allow-root") options.allowed_roots.clear();
    }
    KG_RETURN_IF_ERROR(def->apply(options, where, setting.second));
  }
  return Status::OK();
}

struct ParsedArgs {
  std::vector<std::pair<Setting, std::string>> settings;
  bool help = false;
  std::optional<std::string> config;
};

Result<ParsedArgs> ParseArgs(const std::vector<std::string>& args) {
  ParsedArgs out;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (arg == "--help" || arg == "-h") {
      out.help = true;
      continue;
    }
    if (arg.rfind("--", 0) != 0) {
      return Status::InvalidArgument("unexpected argument '" + arg + "' (see --help)");
    }
    std::string value;
    bool has_inline = false;
    if (size_t eq = arg.find('='); eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      has_inline = true;
    }
    std::string name = arg.substr(2);
    const SettingDef* def = FindSetting(name);
    if (def == nullptr && name != "config") {
      return Status::InvalidArgument("unknown flag '" + args[i] + "' (see --help)");
    }
    if (!has_inline) {
      if (def != nullptr && def->is_bool) {
        value = "true";
      } else if (i + 1 >= args.size()) {
        return Status::InvalidArgument(arg + " needs a value");
      } else {
        value = args[++i];
      }
    }
    if (name == "config") {
      if (value.empty()) return Status::InvalidArgument("--config needs a file");
      out.config = value;
      continue;
    }
    out.settings.push_back({{name, value}, arg});
  }
  return out;
}

Flags Defaults() {
  Flags flags;
  flags.options.data_dir = "data";
  return flags;
}

}  // namespace

Result<std::vector<Setting>> ParseConfigText(std::string_view text) {
  std::vector<Setting> out;
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{') {
    // ordered_json keeps the file's order (it matters for repeatable settings and messages).
    nlohmann::ordered_json j =
        nlohmann::ordered_json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) {
      return Status::InvalidArgument("config file: not a valid JSON object");
    }
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string& key = it.key();
      const SettingDef* def = FindSetting(key);
      if (def == nullptr)
        return Status::InvalidArgument("config file: unknown setting '" + key + "'");
      auto scalar = [&](const nlohmann::ordered_json& v) -> Result<std::string> {
        if (v.is_string()) return v.get<std::string>();
        if (v.is_boolean()) return std::string(v.get<bool>() ? "true" : "false");
        if (v.is_number_integer()) return v.dump();
        return Status::InvalidArgument("config file: setting '" + key +
                                       "' must be a string, an integer or a boolean");
      };
      if (it.value().is_array()) {
        if (!def->repeatable) {
          return Status::InvalidArgument("config file: setting '" + key + "' takes one value");
        }
        for (const auto& v : it.value()) {
          KG_ASSIGN_OR_RETURN(std::string s, scalar(v));
          out.emplace_back(key, s);
        }
      } else {
        KG_ASSIGN_OR_RETURN(std::string s, scalar(it.value()));
        out.emplace_back(key, s);
      }
    }
    return out;
  }
  size_t line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string line = Trim(text.substr(pos, end - pos));
    pos = end + 1;
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    size_t eq = line.find('=');
    if (eq == std::string::npos) {
      return Status::InvalidArgument("config file line " + std::to_string(line_no) +
                                     ": expected NAME = VALUE, got '" + line + "'");
    }
    std::string key = Trim(line.substr(0, eq));
    std::string value = Trim(line.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (FindSetting(key) == nullptr) {
      return Status::InvalidArgument("config file line " + std::to_string(line_no) +
                                     ": unknown setting '" + key + "'");
    }
    out.emplace_back(key, value);
  }
  return out;
}

std::string Usage() {
  return "usage: codekgd [--config FILE] [--data DIR] [--host HOST] [--port N] [--threads N] ...\n"
         "  --config FILE            settings file: NAME = VALUE lines or a JSON object\n"
         "  --data DIR               data folder: RocksDB in DIR/db, jobs in DIR/jobs (./data)\n"
         "  --host HOST              address to listen on (127.0.0.1)\n"
         "  --port N                 TCP port; 0 picks a free port (7420)\n"
         "  --threads N              request threads; 0 = max(4, cores) (0)\n"
         "  --job-workers N          ingest/synth jobs running at once (2)\n"
         "  --job-retention N        finished jobs kept, records and results; 0 = all (1000)\n"
         "  --block-cache-mb N       RocksDB block cache (256)\n"
         "  --adjacency-index-mb N   in-memory edge indexes, all graphs; 0 = off (256)\n"
         "  --write-buffer-mb N      RocksDB memtables, all column families (128)\n"
         "  --max-body-bytes N       larger request bodies get 413 (8388608)\n"
         "  --query-timeout-ms N     default query timeout (30000)\n"
         "  --max-query-timeout-ms N largest timeout_ms a request may ask for (600000)\n"
         "  --query-rows N           default query row limit (10000)\n"
         "  --max-query-rows N       largest limit a request may ask for (100000)\n"
         "  --max-expansions N       edges one query may visit (10000000)\n"
         "  --read-timeout-s N       disconnect clients that send nothing for N s (5)\n"
         "  --write-timeout-s N      disconnect clients that read nothing for N s (5)\n"
         "  --keep-alive-s N         close idle keep-alive connections after N s (5)\n"
         "  --token T                routes and MCP tools that write need 'Authorization: Bearer "
         "T'\n"
         "  --auth-reads             with --token: every route but /healthz, /metrics needs it\n"
         "  --allow-root DIR         repeatable: ingest only inside these folders (else 403)\n"
         "  --access-log             log one JSON line per request to stderr\n"
         "Every setting NAME is also read from the environment as CODEKG_NAME (upper case, '-'\n"
         "as '_'; CODEKG_ALLOW_ROOT takes DIR:DIR) and from the config file (CODEKG_CONFIG).\n"
         "Precedence: flags > environment > config file > defaults.\n"
         "On start codekgd prints 'codekgd listening on http://HOST:PORT'. SIGTERM/SIGINT stop it\n"
         "gracefully (in-flight requests finish, running jobs are checkpointed, the store is\n"
         "closed).\n";
}

Result<Flags> ParseFlags(const std::vector<std::string>& args) {
  Flags flags = Defaults();
  KG_ASSIGN_OR_RETURN(ParsedArgs parsed, ParseArgs(args));
  if (parsed.config) {
    return Status::InvalidArgument("--config is only read by LoadSettings");
  }
  flags.help = parsed.help;
  KG_RETURN_IF_ERROR(ApplySource(flags.options, parsed.settings));
  return flags;
}

Result<Flags> LoadSettings(const std::vector<std::string>& args,
                           const std::map<std::string, std::string>& env) {
  Flags flags = Defaults();
  KG_ASSIGN_OR_RETURN(ParsedArgs parsed, ParseArgs(args));
  flags.help = parsed.help;
  std::string config;
  if (parsed.config) {
    config = *parsed.config;
  } else if (auto it = env.find("CODEKG_CONFIG"); it != env.end() && !it->second.empty()) {
    config = it->second;
  }
  if (!config.empty()) {
    std::ifstream in(config, std::ios::binary);
    if (!in) return Status::NotFound("cannot read config file '" + config + "'");
    std::stringstream buf;
    buf << in.rdbuf();
    Result<std::vector<Setting>> file = ParseConfigText(buf.str());
    if (!file.ok()) return Status::InvalidArgument(config + ": " + file.status().message());
    std::vector<std::pair<Setting, std::string>> source;
    for (auto& s : *file) source.push_back({s, config + ": " + s.first});
    KG_RETURN_IF_ERROR(ApplySource(flags.options, source));
    flags.config_file = config;
  }
  std::vector<std::pair<Setting, std::string>> env_source;
  for (const SettingDef& def : Settings()) {
    std::string name = EnvName(def.name);
    auto it = env.find(name);
    if (it == env.end()) continue;
    if (def.repeatable) {
      std::string_view v = it->second;
      size_t pos = 0;
      while (pos <= v.size()) {
        size_t end = v.find(':', pos);
        if (end == std::string_view::npos) end = v.size();
        if (end > pos)
          env_source.push_back(
              {{std::string(def.name), std::string(v.substr(pos, end - pos))}, name});
        pos = end + 1;
      }
    } else {
      env_source.push_back({{std::string(def.name), it->second}, name});
    }
  }
  KG_RETURN_IF_ERROR(ApplySource(flags.options, env_source));
  KG_RETURN_IF_ERROR(ApplySource(flags.options, parsed.settings));
  return flags;
}

}  // namespace kg::server
