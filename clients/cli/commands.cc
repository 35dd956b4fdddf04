#include "clients/cli/commands.h"

#include <editline/readline.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include "clients/cli/render.h"

namespace kg::clients::cli {
namespace {

std::atomic<bool> g_interrupted{false};

void OnInterrupt(int) { g_interrupted.store(true); }

// While alive, Ctrl-C sets g_interrupted instead of killing the process (so a running job can be
// cancelled on the server rather than left behind).
class InterruptGuard {
 public:
  InterruptGuard() {
    g_interrupted.store(false);
    struct sigaction sa {};
    sa.sa_handler = OnInterrupt;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_);
  }
  ~InterruptGuard() { sigaction(SIGINT, &old_, nullptr); }
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

 private:
  struct sigaction old_ {};
};

struct ParsedArgs {
  std::vector<std::string> positional;
  std::map<std::string, std::vector<std::string>> options;  // "--x" -> values ("" for flags)

  bool Has(const std::string& name) const { return options.count(name) > 0; }
  std::string Get(const std::string& name, const std::string& fallback = "") const {
    auto it = options.find(name);
    return it == options.end() || it->second.empty() ? fallback : it->second.back();
  }
};

// Parses `--name value`, `--name=value` (for names in `with_value`) and `--flag` (in `flags`).
bool Parse(const Args& args, const std::set<std::string>& with_value,
           const std::set<std::string>& flags, ParsedArgs* out, std::string* error) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() == 2 && a[0] == '-' && with_value.count(a)) {  // short forms: -g G, -o FILE
      if (i + 1 >= args.size()) {
        *error = a + " needs a value";
        return false;
      }
      out->options[a].push_back(args[++i]);
    } else if (a.size() > 2 && a.rfind("--", 0) == 0) {
      std::string name = a, value;
      bool has_inline = false;
      if (size_t eq = a.find('='); eq != std::string::npos) {
        name = a.substr(0, eq);
        value = a.substr(eq + 1);
        has_inline = true;
      }
      if (with_value.count(name)) {
        if (!has_inline) {
          if (i + 1 >= args.size()) {
            *error = name + " needs a value";
            return false;
          }
          value = args[++i];
        }
        out->options[name].push_back(value);
      } else if (flags.count(name) && !has_inline) {
        out->options[name].push_back("");
      } else {
        *error = "unknown option " + name;
        return false;
      }
    } else {
      out->positional.push_back(a);
    }
  }
  return true;
}

// A number option within [lo, hi]; false (with *error) when it is not one.
bool IntOption(const ParsedArgs& p, const std::string& name, int64_t lo, int64_t hi, int64_t* out,
               std::string* error) {
  if (!p.Has(name)) return true;
  std::string v = p.Get(name);
  char* end = nullptr;
  long long n = std::strtoll(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0' || n < lo || n > hi) {
    *error = name + " must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) +
             "], got '" + v + "'";
    return false;
  }
  *out = n;
  return true;
}

// `name=value`: the value as JSON when it parses as JSON (numbers, true, lists...), else a string.
bool KeyValue(const std::string& kv, std::string* key, Json* value) {
  size_t eq = kv.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  *key = kv.substr(0, eq);
  std::string v = kv.substr(eq + 1);
  Json parsed = Json::parse(v, nullptr, false);
  *value = parsed.is_discarded() ? Json(v) : parsed;
  return true;
}

int Usage(CommandContext& ctx, const std::string& message) {
  *ctx.err << "codekg: " << message << "\n(run 'codekg help' for usage)\n";
  return 2;
}

int Fail(CommandContext& ctx, const Status& status, std::string_view text = "") {
  RenderError(status, text, *ctx.err);
  return 1;
}

bool IsFinal(const std::string& state) {
  return state == "succeeded" || state == "failed" || state == "cancelled";
}

// Follows a job until it reaches a final state, drawing its progress on stderr when allowed.
// Ctrl-C asks the server to cancel the job (once) and keeps following it. Returns the final job.
Result<Json> FollowJob(CommandContext& ctx, Json job, std::string_view unit) {
  InterruptGuard guard;
  bool cancel_sent = false;
  bool drew = false;
  std::string id = job.value("id", std::string());
  auto started = std::chrono::steady_clock::now();
  while (!IsFinal(job.value("state", std::string("running")))) {
    if (id.empty()) return Status::Corruption("the server returned a job without an id");
    if (g_interrupted.load() && !cancel_sent) {
      cancel_sent = true;
      *ctx.err << (drew ? "\n" : "") << "cancelling job " << id << " ...\n";
      drew = false;
      auto r = ctx.http->Delete("/v1/jobs/" + EncodePathSegment(id));
      if (!r.ok()) RenderError(r.status(), "", *ctx.err);
    }
    if (ctx.progress && job.contains("progress") && job["progress"].is_object()) {
      const Json& p = job["progress"];
      double elapsed =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      uint64_t done = p.value("done", uint64_t{0});
      double rate = p.value("rate", elapsed > 0 ? done / elapsed : 0.0);
      double eta = p.contains("eta_s") && p["eta_s"].is_number() ? p["eta_s"].get<double>() : -1;
      *ctx.err << '\r' << ProgressLine(done, p.value("total", uint64_t{0}), rate, eta, unit)
               << "   " << std::flush;
      drew = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    KG_ASSIGN_OR_RETURN(Json answer, ctx.http->Get("/v1/jobs/" + EncodePathSegment(id)));
    if (!answer.contains("job") || !answer["job"].is_object()) {
      return Status::Corruption("GET /v1/jobs/" + id + " returned no job");
    }
    job = answer["job"];
  }
  if (drew) *ctx.err << '\n';
  return job;
}

// The job's failure as a Status (from its error object).
Status JobError(const Json& job) {
  std::string state = job.value("state", std::string());
  std::string message = "job " + job.value("id", std::string("?")) + " " + state;
  if (job.contains("error") && job["error"].is_object()) {
    message += ": " + job["error"].value("message", std::string());
  }
  return state == "cancelled" ? Status::Cancelled(message) : Status::Internal(message);
}

Status RunQuery(CommandContext& ctx, const std::string& graph, const std::string& text,
                const Json& params, int64_t limit, int64_t timeout_ms, const std::string& format,
                const TableOptions& table) {
  Json body = {{"query", text}};
  if (!params.empty()) body["params"] = params;
  if (limit > 0) body["limit"] = limit;
  if (timeout_ms > 0) body["timeout_ms"] = timeout_ms;
  KG_ASSIGN_OR_RETURN(Json answer,
                      ctx.http->Post("/v1/graphs/" + EncodePathSegment(graph) + "/query", body));
  if (format == "json") {
    *ctx.out << answer.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
  } else if (format == "csv") {
    RenderCsv(answer, *ctx.out);  // data only: notes go to stderr
    if (answer.value("truncated", false)) *ctx.err << "warning: result truncated\n";
    for (const auto& w : answer.value("warnings", Json::array())) {
      *ctx.err << "warning: " << CellText(w) << '\n';
    }
  } else {
    RenderTable(answer, table, *ctx.out);
  }
  return Status::OK();
}

std::string HistoryPath() {
  if (const char* p = std::getenv("CODEKG_HISTORY"); p && *p) return p;
  if (const char* home = std::getenv("HOME"); home && *home) {
    return std::string(home) + "/.codekg_history";
  }
  return "";
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

}  // namespace

std::string UsageText() {
  return R"(codekg: command-line client of codekgd (talks HTTP only)

usage: codekg [--url http://HOST:PORT] [--token T] [--no-progress] COMMAND ...
  --url defaults to $CODEKG_URL or http://127.0.0.1:7420; --token to $CODEKG_TOKEN.

commands:
  graphs                          list graphs with node/edge/file counts
  graphs G [--delete]             one graph's counts per label and edge type (or drop it)
  ingest PATH --graph G           ingest a folder (read by the server; a relative PATH is made
                                  absolute here) with a live progress bar, then a summary
  query G 'MATCH ...' [--json|--csv] [--limit N] [--timeout-ms N] [--param k=v]... [--wide]
                                  run a query; prints an aligned table by default
  shell G                         interactive queries: end a statement with ';'
                                  (:help lists the shell commands); history in ~/.codekg_history
  search G TEXT [--limit N]       ranked entity search
  node G ID [--max-lines N]       one node with its line-numbered code
  node G ID --tree [--depth N] [--direction out|in|both] [--types A,B]
                                  a traversal tree as indented text
  synth G --out FILE [--strategy S] [--format F] [--seed N] [--max-pairs N] [--set k=v]...
                                  run a synthesis job with progress; JSONL to FILE ('-' = stdout)
  jobs [ID] [--cancel]            list jobs, show one, or cancel it
  help                            this text

exit codes: 0 ok, 1 the request failed (error printed), 2 usage error
)";
}

int GraphsCommand(CommandContext& ctx, const Args& args) {
  ParsedArgs p;
  std::string error;
  if (!Parse(args, {}, {"--delete", "--json"}, &p, &error)) return Usage(ctx, error);
  if (p.positional.size() > 1) return Usage(ctx, "graphs takes at most one graph name");
  if (p.positional.empty()) {
    auto r = ctx.http->Get("/v1/graphs");
    if (!r.ok()) return Fail(ctx, r.status());
    if (p.Has("--json")) {
      *ctx.out << r->dump(2) << '\n';
      return 0;
    }
    Json table = {{"columns", {"graph", "nodes", "edges", "files"}}, {"rows", Json::array()}};
    for (const auto& g : (*r)["graphs"]) {
      table["rows"].push_back({g.value("name", ""), g.value("node_count", 0),
                               g.value("edge_count", 0), g.value("file_count", 0)});
    }
    RenderTable(table, {}, *ctx.out);
    return 0;
  }
  std::string path = "/v1/graphs/" + EncodePathSegment(p.positional[0]);
  auto r = p.Has("--delete") ? ctx.http->Delete(path) : ctx.http->Get(path);
  if (!r.ok()) return Fail(ctx, r.status());
  if (p.Has("--delete")) {
    *ctx.out << "deleted graph " << p.positional[0] << '\n';
    return 0;
  }
  if (p.Has("--json")) {
    *ctx.out << r->dump(2) << '\n';
    return 0;
  }
  const Json& g = (*r)["graph"];
  *ctx.out << "graph " << g.value("name", "") << ": " << g.value("node_count", 0) << " nodes, "
           << g.value("edge_count", 0) << " edges, " << g.value("file_count", 0) << " files\n";
  for (const char* section : {"labels", "edge_types"}) {
    if (!g.contains(section) || !g[section].is_object()) continue;
    Json table = {{"columns", {section == std::string("labels") ? "label" : "edge type", "count"}},
                  {"rows", Json::array()}};
    for (const auto& [k, v] : g[section].items()) table["rows"].push_back({k, v});
    *ctx.out << '\n';
    RenderTable(table, {}, *ctx.out);
  }
  return 0;
}

int QueryCommand(CommandContext& ctx, const Args& args) {
  ParsedArgs p;
  std::string error;
  if (!Parse(args, {"--limit", "--timeout-ms", "--param", "--format"},
             {"--json", "--csv", "--wide"}, &p, &error)) {
    return Usage(ctx, error);
  }
  if (p.positional.size() != 2) return Usage(ctx, "usage: codekg query G 'MATCH ...'");
  int64_t limit = 0, timeout_ms = 0;
  if (!IntOption(p, "--limit", 1, 100000, &limit, &error) ||
      !IntOption(p, "--timeout-ms", 1, 600000, &timeout_ms, &error)) {
    return Usage(ctx, error);
  }
  Json params = Json::object();
  if (p.Has("--param")) {
    for (const auto& kv : p.options["--param"]) {
      std::string k;
      Json v;
      if (!KeyValue(kv, &k, &v)) return Usage(ctx, "--param wants name=value, got '" + kv + "'");
      params[k] = v;
    }
  }
  std::string format = p.Has("--json")  ? "json"
                       : p.Has("--csv") ? "csv"
                                        : p.Get("--format", "table");
  if (format != "table" && format != "json" && format != "csv") {
    return Usage(ctx, "--format must be table, json or csv");
  }
  TableOptions table;
  if (p.Has("--wide")) table.max_cell_width = 0;
  Status s =
      RunQuery(ctx, p.positional[0], p.positional[1], params, limit, timeout_ms, format, table);
  return s.ok() ? 0 : Fail(ctx, s, p.positional[1]);
}

int ShellCommand(CommandContext& ctx, const Args& args) {
  ParsedArgs p;
  std::string error;
  if (!Parse(args, {}, {}, &p, &error)) return Usage(ctx, error);
  if (p.positional.size() != 1) return Usage(ctx, "usage: codekg shell G");
  std::string graph = p.positional[0];
  std::string format = "table";
  const bool interactive = isatty(STDIN_FILENO);
  std::string history_path = HistoryPath();
  std::deque<std::string> history;
  if (!history_path.empty()) {
    std::ifstream in(history_path);
    for (std::string line; std::getline(in, line);) {
      history.push_back(line);
      if (history.size() > 500) history.pop_front();
    }
  }
  // On a terminal, lines are read with libedit: arrow keys recall earlier statements, and
  // editing works as in a shell. Otherwise (a pipe, a script) plain lines from stdin.
  if (interactive) {
    using_history();
    for (const auto& h : history) add_history(h.c_str());
  }
  auto read_line = [&](const std::string& prompt, std::string* line) {
    if (!interactive) return static_cast<bool>(std::getline(std::cin, *line));
    char* raw = readline(prompt.c_str());
    if (raw == nullptr) return false;
    *line = raw;
    free(raw);
    return true;
  };
  std::ofstream history_out;
  if (!history_path.empty()) history_out.open(history_path, std::ios::app);
  if (interactive) {
    *ctx.err << "codekg shell on graph '" << graph << "' at " << ctx.http->base_url()
             << ". End statements with ';'. :help for help, :quit to leave.\n";
  }
  int failures = 0;
  std::string buffer;
  for (;;) {
    std::string line;
    std::string prompt = buffer.empty() ? graph + "> " : std::string(graph.size(), ' ') + "-> ";
    if (!read_line(prompt, &line)) break;
    std::string t = Trim(line);
    if (buffer.empty() && t.empty()) continue;
    if (buffer.empty() && t[0] == ':') {
      std::string cmd = t.substr(0, t.find(' '));
      std::string arg = Trim(t.size() > cmd.size() ? t.substr(cmd.size()) : "");
      if (cmd == ":quit" || cmd == ":q" || cmd == ":exit") break;
      if (cmd == ":help") {
        *ctx.out << "statements end with ';' and may span lines; EXPLAIN/PROFILE work as prefixes\n"
                    ":graph NAME      switch graph\n"
                    ":format table|json|csv\n"
                    ":history         the last 20 statements\n"
                    ":quit            leave (also Ctrl-D)\n";
      } else if (cmd == ":graph" && !arg.empty()) {
        graph = arg;
      } else if (cmd == ":format" && (arg == "table" || arg == "json" || arg == "csv")) {
        format = arg;
      } else if (cmd == ":history") {
        size_t from = history.size() > 20 ? history.size() - 20 : 0;
        for (size_t i = from; i < history.size(); ++i) *ctx.out << history[i] << '\n';
      } else {
        *ctx.err << "unknown or incomplete shell command '" << t << "' (:help)\n";
      }
      continue;
    }
    buffer += (buffer.empty() ? "" : "\n") + line;
    if (t.empty() || t.back() != ';') continue;
    std::string statement = Trim(buffer);
    buffer.clear();
    while (!statement.empty() && statement.back() == ';') statement.pop_back();
    statement = Trim(statement);
    if (statement.empty()) continue;
    std::string flat = statement + ";";  // recalled with its ';', so Enter runs it again
    for (char& c : flat) {
      if (c == '\n') c = ' ';
    }
    history.push_back(flat);
    if (interactive) add_history(flat.c_str());
    if (history_out) history_out << flat << '\n' << std::flush;
    Status s = RunQuery(ctx, graph, statement, Json::object(), 0, 0, format, {});
    if (!s.ok()) {
      ++failures;
      RenderError(s, statement, *ctx.err);
    }
  }
  if (!Trim(buffer).empty()) *ctx.err << "(unfinished statement discarded: missing ';')\n";
  if (interactive) *ctx.err << '\n';
  return failures == 0 ? 0 : 1;
}

int IngestCommand(CommandContext& ctx, const Args& args) {
  ParsedArgs p;
  std::string error;
  if (!Parse(args, {"--graph", "-g"}, {"--json"}, &p, &error)) return Usage(ctx, error);
  std::string graph = p.Get("--graph", p.Get("-g"));
  if (p.positional.size() != 1 || graph.empty()) {
    return Usage(ctx, "usage: codekg ingest PATH --graph G");
  }
  std::error_code ec;
  std::string path = std::filesystem::absolute(p.positional[0], ec).lexically_normal().string();
  if (ec) path = p.positional[0];
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  auto r = ctx.http->Post("/v1/graphs/" + EncodePathSegment(graph) + "/ingest", {{"path", path}});
  if (!r.ok()) return Fail(ctx, r.status());
  Json answer = *r;
  Json job = answer.value("job", Json::object());
  if (!answer.contains("report")) {
    auto followed = FollowJob(ctx, job, "files");
    if (!followed.ok()) return Fail(ctx, followed.status());
    job = *followed;
    if (job.value("state", "") != "succeeded") return Fail(ctx, JobError(job));
  }
  Json report = answer.contains("report") ? answer["report"] : job.value("summary", Json::object());
  if (report.contains("report") && report["report"].is_object()) report = report["report"];
  if (p.Has("--json")) {
    *ctx.out << report.dump(2) << '\n';
    return 0;
  }
  *ctx.out << "ingested " << path << " into graph '" << graph << "'";
  if (job.contains("id")) *ctx.out << " (job " << job.value("id", "") << ")";
  *ctx.out << '\n';
  RenderSummary(report, *ctx.out);
  for (const char* list : {"skipped", "flagged"}) {
    if (!report.contains(list) || !report[list].is_array()) continue;
    size_t shown = 0;
    for (const auto& f : report[list]) {
      if (shown++ == 10) {
        *ctx.out << "    ... " << report[list].size() - 10 << " more " << list << '\n';
        break;
      }
      *ctx.out << "    " << list << ": " << f.value("path", "") << ": " << f.value("reason", "")
               << '\n';
    }
  }
  return 0;
}

int SynthCommand(CommandContext& ctx, const Args& args) {
  ParsedArgs p;
  std::string error;
  if (!Parse(args, {"--out", "-o", "--strategy", "--format", "--seed", "--max-pairs", "--set"}, {},
             &p, &error)) {
    return Usage(ctx, error);
  }
  std::string out_path = p.Get("--out", p.Get("-o"));
  if (p.positional.size() != 1 || out_path.empty()) {
    return Usage(ctx, "usage: codekg synth G --out FILE [--strategy S] [--format F]");
  }
  Json body = Json::object();
  if (p.Has("--strategy")) body["strategy"] = p.Get("--strategy");
  if (p.Has("--format")) body["format"] = p.Get("--format");
  int64_t seed = 0, max_pairs = 0;
  if (!IntOption(p, "--seed", 0, INT64_MAX, &seed, &error) ||
      !IntOption(p, "--max-pairs", 0, INT64_MAX, &max_pairs, &error)) {
    return Usage(ctx, error);
  }
  if (p.Has("--seed")) body["seed"] = seed;
  if (p.Has("--max-pairs")) body["max_pairs"] = max_pairs;
  if (p.Has("--set")) {
    for (const auto& kv : p.options["--set"]) {
      std::string k;
      Json v;
      if (!KeyValue(kv, &k, &v)) return Usage(ctx, "--set wants name=value, got '" + kv + "'");
      body[k] = v;
    }
  }
  std::string graph = p.positional[0];
  auto r = ctx.http->Post("/v1/graphs/" + EncodePathSegment(graph) + "/synth", body);
  if (!r.ok()) return Fail(ctx, r.status());
  auto followed = FollowJob(ctx, r->value("job", Json::object()), "steps");
  if (!followed.ok()) return Fail(ctx, followed.status());
  Json job = *followed;
  if (job.value("state", "") != "succeeded") return Fail(ctx, JobError(job));
  std::ofstream file;
  std::ostream* sink = ctx.out;
  if (out_path != "-") {
    file.open(out_path, std::ios::binary | std::ios::trunc);
    if (!file) return Fail(ctx, Status::IOError("cannot write " + out_path));
    sink = &file;
  }
  uint64_t bytes = 0;
  Status s = ctx.http->GetStream("/v1/jobs/" + EncodePathSegment(job.value("id", "")) + "/results",
                                 [&](std::string_view c) {
                                   sink->write(c.data(), static_cast<std::streamsize>(c.size()));
                                   bytes += c.size();
                                   return static_cast<bool>(*sink);
                                 });
  if (!s.ok()) return Fail(ctx, s);
  if (!*sink) return Fail(ctx, Status::IOError("write to " + out_path + " failed"));
  *ctx.err << "job " << job.value("id", "") << " succeeded; " << bytes << " bytes of JSONL "
           << (out_path == "-" ? std::string("written") : "written to " + out_path) << '\n';
  if (job.contains("summary")) RenderSummary(job["summary"], *ctx.err);
  return 0;
}

int JobsCommand(CommandContext& ctx, const Args& args) {
  ParsedArgs p;
  std::string error;
  if (!Parse(args, {}, {"--cancel", "--json"}, &p, &error)) return Usage(ctx, error);
  if (p.positional.size() > 1) return Usage(ctx, "usage: codekg jobs [ID] [--cancel]");
  if (p.positional.empty()) {
    auto r = ctx.http->Get("/v1/jobs");
    if (!r.ok()) return Fail(ctx, r.status());
    if (p.Has("--json")) {
      *ctx.out << r->dump(2) << '\n';
      return 0;
    }
    Json table = {{"columns", {"id", "kind", "graph", "state", "progress"}},
                  {"rows", Json::array()}};
    for (const auto& j : r->value("jobs", Json::array())) {
      std::string progress;
      if (j.contains("progress") && j["progress"].is_object()) {
        progress = std::to_string(j["progress"].value("done", uint64_t{0})) + "/" +
                   std::to_string(j["progress"].value("total", uint64_t{0}));
      }
      table["rows"].push_back({j.value("id", ""), j.value("kind", ""), j.value("graph", ""),
                               j.value("state", ""), progress});
    }
    RenderTable(table, {}, *ctx.out);
    return 0;
  }
  std::string path = "/v1/jobs/" + EncodePathSegment(p.positional[0]);
  auto r = p.Has("--cancel") ? ctx.http->Delete(path) : ctx.http->Get(path);
  if (!r.ok()) return Fail(ctx, r.status());
  if (p.Has("--json")) {
    *ctx.out << r->dump(2) << '\n';
    return 0;
  }
  RenderSummary(r->value("job", Json::object()), *ctx.out);
  return 0;
}

int SearchCommand(CommandContext& ctx, const Args& args) {
  ParsedArgs p;
  std::string error;
  if (!Parse(args, {"--limit"}, {"--json"}, &p, &error)) return Usage(ctx, error);
  if (p.positional.size() != 2) return Usage(ctx, "usage: codekg search G TEXT");
  int64_t limit = 10;
  if (!IntOption(p, "--limit", 1, 100, &limit, &error)) return Usage(ctx, error);
  auto r = ctx.http->Get("/v1/graphs/" + EncodePathSegment(p.positional[0]) + "/search?q=" +
                         EncodePathSegment(p.positional[1]) + "&limit=" + std::to_string(limit));
  if (!r.ok()) return Fail(ctx, r.status());
  if (p.Has("--json")) {
    *ctx.out << r->dump(2) << '\n';
    return 0;
  }
  Json table = {{"columns", {"score", "kind", "qualified_name", "id"}}, {"rows", Json::array()}};
  for (const auto& e : r->value("results", Json::array())) {
    table["rows"].push_back({e.value("score", 0), e.value("kind", ""),
                             e.value("qualified_name", Json()), e.value("id", "")});
  }
  RenderTable(table, {}, *ctx.out);
  if (r->contains("reason")) *ctx.out << r->value("reason", "") << '\n';
  return 0;
}

int NodeCommand(CommandContext& ctx, const Args& args) {
  ParsedArgs p;
  std::string error;
  if (!Parse(args, {"--max-lines", "--depth", "--direction", "--types", "--max-nodes"},
             {"--tree", "--json"}, &p, &error)) {
    return Usage(ctx, error);
  }
  if (p.positional.size() != 2) return Usage(ctx, "usage: codekg node G ID [--tree]");
  std::string base = "/v1/graphs/" + EncodePathSegment(p.positional[0]) + "/nodes/" +
                     EncodePathSegment(p.positional[1]);
  if (p.Has("--tree")) {
    std::string q = "?format=" + std::string(p.Has("--json") ? "json" : "text");
    for (const char* opt : {"depth", "direction", "types", "max_nodes"}) {
      std::string flag = std::string("--") + opt;
      for (char& c : flag) {
        if (c == '_') c = '-';
      }
      if (p.Has(flag)) q += std::string("&") + opt + "=" + EncodePathSegment(p.Get(flag));
    }
    Status s = ctx.http->GetStream(base + "/tree" + q, [&](std::string_view c) {
      ctx.out->write(c.data(), static_cast<std::streamsize>(c.size()));
      return true;
    });
    return s.ok() ? 0 : Fail(ctx, s);
  }
  std::string q;
  if (p.Has("--max-lines")) q = "?max_lines=" + EncodePathSegment(p.Get("--max-lines"));
  auto r = ctx.http->Get(base + q);
  if (!r.ok()) return Fail(ctx, r.status());
  if (p.Has("--json")) {
    *ctx.out << r->dump(2) << '\n';
    return 0;
  }
  const Json& n = (*r)["node"];
  *ctx.out << n.value("id", "");
  for (const auto& l : n.value("labels", Json::array())) *ctx.out << " :" << CellText(l);
  *ctx.out << '\n';
  RenderSummary(n.value("properties", Json::object()), *ctx.out);
  if (n.contains("edges")) {
    *ctx.out << "  edges: " << n["edges"].dump() << '\n';
  }
  if (n.contains("code") && n["code"].is_string()) *ctx.out << '\n' << n["code"].get<std::string>();
  if (n.contains("code") && n["code"].is_string()) *ctx.out << '\n';
  return 0;
}

}  // namespace kg::clients::cli
