// bench/languages/lang_bench: how well and how fast codekg reads each language, on real public code
// installed from the registries (corpora: bench/languages/corpus.h), against universal-ctags on
// the same files in the same run.
//
// Per language it prints: files, MB, definitions found by ctags and by codekg (kind classes and
// the ctags kind mapping: bench/languages/score.h), matched, precision and recall (overall and per
// kind class), and the time of
//   raw-ts    tree-sitter alone: parse every file with the language's grammar, walk nothing
//   extract   codekg's per-file work: parse + tags/edges query + facts (Extractor), one thread
//   ingest    IngestPath(): walk, read, hash, extract, resolve and write every file's facts into
//             a fresh RocksDB (sync_writes off), one parse thread
//   ctags     `ctags --output-format=json --fields=+neKZ` over the file list (its own process)
// with the ratios extract/raw-ts and ingest/raw-ts (best of --repeat runs each), then up to K
// misses per kind class: "missed" (ctags only) and "extra" (codekg only).
//
// Usage: lang_bench [--lang L[,L...]] [--corpus-root DIR] [--repeat N] [--show-misses K]
//                   [--max-bytes B] [--dir D] [--min F]
//   --lang         languages to run (default: all of go, c, cpp, rust, javascript, typescript,
//   java)
//   --corpus-root  the folder holding the npm corpora's node_modules (default: bench/languages/
//                  corpora of the source tree this binary was built from)
//   --max-bytes    corpus size cap per language (default 1500000), split evenly over its sources
//   --dir          work folder (default: a fresh temporary folder, removed at exit)
//   --min          exit 1 when a language's definitions precision or recall is below F
// Exit code 2 on bad usage or a missing corpus package (the message names the package).

#include <sys/wait.h>
#include <tree_sitter/api.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "bench/languages/corpus.h"
#include "bench/languages/score.h"
#include "ingest/extractor.h"
#include "ingest/ingest.h"
#include "ingest/languages/registry.h"
#include "ingest/source_file.h"
#include "storage/graph_store.h"

namespace kg::bench::languages {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string LoadAverage() {
  std::string s = ReadAll("/proc/loadavg");
  std::istringstream in(s);
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

// Runs ctags over the corpus (cwd = its root, relative paths). Returns seconds or -1; the JSON
// lines go to `out`.
double RunCtags(const Corpus& corpus, const fs::path& list, const fs::path& out) {
  std::error_code ec;
  fs::remove(out, ec);  // ctags refuses to overwrite a file that is not a tags file
  auto start = Clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    if (chdir(corpus.root.c_str()) != 0) _exit(126);
    std::string force = "--language-force=" + corpus.ctags_language;
    execlp("ctags", "ctags", "--output-format=json", "--fields=+neKZ", force.c_str(), "-f",
           out.c_str(), "-L", list.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
  return Seconds(start);
}

// ctags writes `operator ()`, codekg `operator()`: names are compared without whitespace.
std::string NormalizeName(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c != ' ' && c != '\t') out.push_back(c);
  }
  return out;
}

// Where the parse puts the name a ctags variable tag names on its line (score.h rules "lost
// scope", "key", "lost class").
struct Where {
  enum { kTopLevel, kLocal, kKey } place = kTopLevel;
  int class_first = 0, class_last = 0;  // kLocal in a method: the class's lines, else 0
};

Where Locate(TSTree* tree, std::string_view text, int line, std::string_view name) {
  Where where;
  size_t begin = 0;
  for (int l = 1; l < line && begin != std::string_view::npos; ++l) {
    begin = text.find('\n', begin);
    if (begin != std::string_view::npos) ++begin;
  }
  if (begin == std::string_view::npos) return where;
  size_t end = std::min(text.find('\n', begin), text.size());
  auto is_word = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
  };
  for (size_t at = text.find(name, begin); at != std::string_view::npos && at < end;
       at = text.find(name, at + 1)) {
    if ((at > 0 && is_word(text[at - 1])) ||
        (at + name.size() < text.size() && is_word(text[at + name.size()]))) {
      continue;
    }
    TSNode node =
        ts_node_descendant_for_byte_range(ts_tree_root_node(tree), static_cast<uint32_t>(at),
                                          static_cast<uint32_t>(at + name.size()));
    if (std::string_view(ts_node_type(node)) == "property_identifier") {
      where.place = Where::kKey;
      return where;
    }
    for (; !ts_node_is_null(node); node = ts_node_parent(node)) {
      std::string_view type = ts_node_type(node);
      if (type == "function_declaration" || type == "function_expression" || type == "function" ||
          type == "arrow_function" || type == "method_definition" ||
          type == "generator_function_declaration" || type == "generator_function") {
        where.place = Where::kLocal;
        if (type != "method_definition") return where;
        for (; !ts_node_is_null(node); node = ts_node_parent(node)) {
          type = ts_node_type(node);
          if (type == "class_declaration" || type == "abstract_class_declaration" ||
              type == "class") {
            where.class_first = static_cast<int>(ts_node_start_point(node).row) + 1;
            where.class_last = static_cast<int>(ts_node_end_point(node).row) + 1;
            return where;
          }
        }
        return where;
      }
    }
    return where;
  }
  return where;
}

// What the parse-based rules left out of ctags' tags.
struct CtagsDropped {
  uint64_t locals = 0, keys = 0;
  std::map<std::string, std::vector<std::pair<int, int>>> lost_classes;  // by path
};

// ctags' tags of the corpus, classified (score.h). `grammar` (may be null) parses files for the
// "lost scope" rule.
std::vector<Tag> ReadCtags(const Corpus& corpus, const fs::path& json_lines,
                           const TSLanguage* grammar, CtagsDropped* dropped) {
  std::vector<nlohmann::json> lines;
  std::map<std::string, std::vector<std::string>> object_literal_scopes;  // by path
  {
    std::ifstream in(json_lines);
    std::string line;
    while (std::getline(in, line)) {
      nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
      if (!j.is_object() || j.value("_type", "") != "tag") continue;
      lines.push_back(std::move(j));
    }
  }
  struct Owned {
    std::string kind, name, typeref, scope, scope_kind, pattern, path;
  };
  auto fields_of = [&](const nlohmann::json& j, Owned& o) {
    o = {j.value("kind", ""),  j.value("name", ""),      j.value("typeref", ""),
         j.value("scope", ""), j.value("scopeKind", ""), j.value("pattern", ""),
         j.value("path", "")};
    return CtagsFields{corpus.ctags_language, o.kind,   o.name, o.typeref, o.scope,
                       o.scope_kind,          o.pattern};
  };
  for (const nlohmann::json& j : lines) {
    Owned o;
    std::string ols = ObjectLiteralScope(fields_of(j, o));
    if (!ols.empty()) object_literal_scopes[o.path].push_back(ols);
  }
  bool script = corpus.ctags_language == "JavaScript" || corpus.ctags_language == "TypeScript";
  TSParser* parser = grammar != nullptr && script ? ts_parser_new() : nullptr;
  if (parser != nullptr) ts_parser_set_language(parser, grammar);
  std::map<std::string, std::pair<std::string, TSTree*>> parsed;  // path -> (text, tree)
  std::vector<Tag> tags;
  for (const nlohmann::json& j : lines) {
    Owned o;
    CtagsFields f = fields_of(j, o);
    CtagsClasses c = CtagsClass(f, object_literal_scopes[o.path]);
    if (c.klass.empty()) continue;
    int line = j.value("line", 0);
    if (parser != nullptr && c.klass == "variable" && o.scope.empty()) {  // "lost scope"
      auto it = parsed.find(o.path);
      if (it == parsed.end()) {
        std::string text = ReadAll(corpus.root / o.path);
        TSTree* tree = ts_parser_parse_string(parser, nullptr, text.data(),
                                              static_cast<uint32_t>(text.size()));
        it = parsed.emplace(o.path, std::make_pair(std::move(text), tree)).first;
      }
      Where where = it->second.second != nullptr
                        ? Locate(it->second.second, it->second.first, line, o.name)
                        : Where{};
      if (where.place == Where::kKey) {
        ++dropped->keys;
        continue;
      }
      if (where.place == Where::kLocal) {
        ++dropped->locals;
        if (where.class_first > 0 && corpus.ctags_language == "TypeScript") {
          auto& ranges = dropped->lost_classes[o.path];
          std::pair<int, int> range{where.class_first, where.class_last};
          if (std::find(ranges.begin(), ranges.end(), range) == ranges.end()) {
            ranges.push_back(range);
          }
        }
        continue;
      }
    }
    Tag t;
    t.path = o.path;
    t.name = NormalizeName(o.name);
    t.klass = c.klass;
    t.alt_klass = c.alt_klass;
    t.kind = o.kind;
    t.line = line;
    t.end_line = t.line;
    tags.push_back(std::move(t));
  }
  for (auto& [path, p] : parsed) {
    if (p.second != nullptr) ts_tree_delete(p.second);
  }
  if (parser != nullptr) ts_parser_delete(parser);
  return tags;
}

int LineAt(std::string_view text, uint32_t byte) {
  byte = std::min<uint32_t>(byte, static_cast<uint32_t>(text.size()));
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + byte, '\n'));
}

struct Extraction {
  std::vector<Tag> tags;
  double seconds = -1;
  uint64_t other_language = 0;  // corpus files codekg reads as another language (or none)
  uint64_t syntax_errors = 0;
  std::string error;
};

// codekg's extraction of every corpus file, one thread. `collect` keeps the tags.
Extraction Extract(const Corpus& corpus, bool collect) {
  Extraction x;
  std::set<std::string> paths;
  for (const CorpusFile& f : corpus.files) paths.insert(f.path);
  ingest::languages::FileExists exists = [&paths](std::string_view p) {
    return paths.count(std::string(p)) > 0;
  };
  std::vector<std::string> texts;
  texts.reserve(corpus.files.size());
  for (const CorpusFile& f : corpus.files) texts.push_back(ReadAll(corpus.root / f.path));
  auto start = Clock::now();
  for (size_t i = 0; i < corpus.files.size(); ++i) {
    const std::string& path = corpus.files[i].path;
    const ingest::languages::Language* lang = ingest::languages::LanguageForPath(path);
    if (lang == nullptr || lang->name() != corpus.language) {
      ++x.other_language;
      if (lang == nullptr) continue;
    }
    auto extractor = ingest::Extractor::ForLanguage(*lang);
    if (!extractor.ok()) {
      x.error = std::string(lang->name()) + ": " + extractor.status().ToString();
      return x;
    }
    auto facts = (*extractor)->Extract(path, texts[i], lang->ModuleForPath(path, exists));
    if (!facts.ok()) {
      x.error = path + ": " + facts.status().ToString();
      return x;
    }
    if (facts->syntax_error) ++x.syntax_errors;
    if (!collect) continue;
    for (const ingest::Definition& d : facts->definitions) {
      std::string_view parent_label =
          d.parent >= 0 ? std::string_view(facts->definitions[d.parent].label) : "";
      if (UnscoredCodekgDefinition(corpus.ctags_language, d.signature, parent_label)) continue;
      x.tags.push_back({path, NormalizeName(d.name), CodekgClass(d.label), d.label + "/" + d.kind,
                        d.start_line, d.end_line});
    }
    for (const ingest::Member& m : facts->members) {
      x.tags.push_back({path, m.name, CodekgClass(m.label), m.label, m.line,
                        std::max(m.line, LineAt(texts[i], m.end_byte))});
    }
  }
  x.seconds = Seconds(start);
  return x;
}

// Raw tree-sitter: parse every file with the language's grammar. Returns seconds or -1.
double RawParse(const Corpus& corpus, const ingest::languages::Language& lang) {
  std::vector<std::string> texts;
  for (const CorpusFile& f : corpus.files) texts.push_back(ReadAll(corpus.root / f.path));
  auto start = Clock::now();
  TSParser* parser = ts_parser_new();
  if (!ts_parser_set_language(parser, lang.grammar())) {
    ts_parser_delete(parser);
    return -1;
  }
  uint64_t nodes = 0;
  for (const std::string& text : texts) {
    TSTree* t =
        ts_parser_parse_string(parser, nullptr, text.data(), static_cast<uint32_t>(text.size()));
    if (t == nullptr) return -1;
    nodes += ts_node_child_count(ts_tree_root_node(t));
    ts_tree_delete(t);
  }
  ts_parser_delete(parser);
  return nodes == 0 && !texts.empty() ? -1 : Seconds(start);
}

// Full ingest into a fresh store under `db`. Returns seconds or -1.
double Ingest(const Corpus& corpus, const fs::path& db, uint64_t* files_parsed) {
  std::error_code ec;
  fs::remove_all(db, ec);
  storage::Options options;
  options.sync_writes = false;
  auto start = Clock::now();
  auto store = storage::GraphStore::Open(db.string(), options);
  if (!store.ok()) {
    std::fprintf(stderr, "open: %s\n", store.status().ToString().c_str());
    return -1;
  }
  ingest::IngestOptions io;
  io.threads = 1;
  auto report = ingest::IngestPath(**store, "bench", corpus.root.string(), io);
  if (!report.ok()) {
    std::fprintf(stderr, "ingest: %s\n", report.status().ToString().c_str());
    return -1;
  }
  store->reset();
  *files_parsed = report->files_parsed;
  double s = Seconds(start);
  fs::remove_all(db, ec);
  return s;
}

template <typename Fn>
double Best(int repeat, Fn fn) {
  double best = -1;
  for (int i = 0; i < repeat; ++i) {
    double s = fn();
    if (s < 0) return -1;
    if (best < 0 || s < best) best = s;
  }
  return best;
}

std::string Ratio(double a, double b) {
  if (a < 0 || b <= 0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1fx", a / b);
  return buf;
}

std::string Secs(double s) {
  if (s < 0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3f", s);
  return buf;
}

struct Options {
  std::vector<std::string> languages;
  fs::path corpus_root;
  int repeat = 1;
  int show_misses = 5;
  uint64_t max_bytes = 1500000;
  fs::path dir;
  double min = -1;
};

void PrintMisses(const char* what, const std::vector<Tag>& tags, const std::string& klass,
                 int limit) {
  int shown = 0;
  size_t total = 0;
  for (const Tag& t : tags) total += t.klass == klass;
  for (const Tag& t : tags) {
    if (t.klass != klass) continue;
    if (shown++ == limit) break;
    std::printf("      %s %s:%d %s [%s]\n", what, t.path.c_str(), t.line, t.name.c_str(),
                t.kind.c_str());
  }
  if (total > static_cast<size_t>(limit) && limit > 0) {
    std::printf("      ... %zu %s in all\n", total, what);
  }
}

// Runs one language; returns false when its score is below --min.
bool RunLanguage(const Options& opt, const std::string& language, bool* failed_setup) {
  fs::path work = opt.dir / language;
  std::error_code ec;
  fs::remove_all(work, ec);
  auto corpus = MaterializeCorpus(language, opt.corpus_root, work / "tree", opt.max_bytes);
  if (!corpus.ok()) {
    std::fprintf(stderr, "%s: %s\n", language.c_str(), corpus.status().ToString().c_str());
    *failed_setup = true;
    return false;
  }
  fs::path list = work / "files.txt";
  {
    std::ofstream out(list);
    for (const CorpusFile& f : corpus->files) out << f.path << "\n";
  }
  fs::path tags_json = work / "tags.json";
  double ctags_s = Best(opt.repeat, [&] { return RunCtags(*corpus, list, tags_json); });
  if (ctags_s < 0) {
    std::fprintf(stderr, "%s: ctags failed (needs Debian universal-ctags)\n", language.c_str());
    *failed_setup = true;
    return false;
  }
  const ingest::languages::Language* lang = ingest::languages::LanguageByName(language);
  CtagsDropped dropped;
  std::vector<Tag> ctags =
      ReadCtags(*corpus, tags_json, lang ? lang->grammar() : nullptr, &dropped);

  Extraction x;
  double raw_s = -1, extract_s = -1, ingest_s = -1;
  uint64_t ingested = 0;
  if (lang != nullptr) {
    x = Extract(*corpus, /*collect=*/true);
    if (!x.error.empty()) {
      std::fprintf(stderr, "%s: extraction failed: %s\n", language.c_str(), x.error.c_str());
      *failed_setup = true;
      return false;
    }
    raw_s = Best(opt.repeat, [&] { return RawParse(*corpus, *lang); });
    extract_s = Best(opt.repeat, [&] { return Extract(*corpus, false).seconds; });
    ingest_s = Best(opt.repeat, [&] { return Ingest(*corpus, work / "db", &ingested); });
  }
  ScoreResult score = Score(ctags, x.tags);
  uint64_t unscored = UnscoreExtrasIn(dropped.lost_classes, &score);

  std::printf(
      "\n%s: %zu files, %.2f MB from %s%s\n", language.c_str(), corpus->files.size(),
      corpus->bytes / 1e6,
      [&] {
        std::string s;
        for (const std::string& src : corpus->sources) s += (s.empty() ? "" : ", ") + src;
        return s;
      }()
          .c_str(),
      lang == nullptr ? "  [language not registered in codekg]" : "");
  if (x.other_language || x.syntax_errors || (lang && ingested != corpus->files.size())) {
    std::printf(
        "  note: %llu files read as another language, %llu with syntax errors, "
        "%llu of %zu ingested\n",
        static_cast<unsigned long long>(x.other_language),
        static_cast<unsigned long long>(x.syntax_errors), static_cast<unsigned long long>(ingested),
        corpus->files.size());
  }
  if (dropped.locals + dropped.keys + unscored > 0) {
    std::printf(
        "  note: ctags rules (score.h): %llu top-level variables are locals (lost scope), %llu "
        "are property keys; %zu class bodies ctags lost, %llu codekg definitions in them "
        "unscored\n",
        static_cast<unsigned long long>(dropped.locals),
        static_cast<unsigned long long>(dropped.keys),
        [&] {
          size_t n = 0;
          for (const auto& [path, ranges] : dropped.lost_classes) n += ranges.size();
          return n;
        }(),
        static_cast<unsigned long long>(unscored));
  }
  std::printf("  %-10s %8s %8s %8s %9s %8s\n", "kind", "ctags", "codekg", "matched", "precision",
              "recall");
  auto row = [](const std::string& name, const Counts& c) {
    std::printf("  %-10s %8llu %8llu %8llu %9.3f %8.3f\n", name.c_str(),
                static_cast<unsigned long long>(c.ctags), static_cast<unsigned long long>(c.codekg),
                static_cast<unsigned long long>(c.matched), c.precision(), c.recall());
  };
  row("all", score.total);
  for (const auto& [klass, c] : score.by_class) row(klass, c);
  std::printf(
      "  time (s): raw-ts %s  extract %s  ingest %s  ctags %s;  extract/raw-ts %s  "
      "ingest/raw-ts %s  ingest/ctags %s\n",
      Secs(raw_s).c_str(), Secs(extract_s).c_str(), Secs(ingest_s).c_str(), Secs(ctags_s).c_str(),
      Ratio(extract_s, raw_s).c_str(), Ratio(ingest_s, raw_s).c_str(),
      Ratio(ingest_s, ctags_s).c_str());
  if (opt.show_misses > 0) {
    for (const auto& [klass, c] : score.by_class) {
      if (c.matched == c.ctags && c.matched == c.codekg) continue;
      std::printf("    %s:\n", klass.c_str());
      PrintMisses("missed", score.missed, klass, opt.show_misses);
      PrintMisses("extra", score.extra, klass, opt.show_misses);
    }
  }
  std::printf(
      "SUMMARY %-10s files %4zu  MB %5.2f  defs ctags %6llu codekg %6llu  P %.3f  R %.3f  "
      "extract/raw %s  ingest/raw %s\n",
      language.c_str(), corpus->files.size(), corpus->bytes / 1e6,
      static_cast<unsigned long long>(score.total.ctags),
      static_cast<unsigned long long>(score.total.codekg), score.total.precision(),
      score.total.recall(), Ratio(extract_s, raw_s).c_str(), Ratio(ingest_s, raw_s).c_str());
  std::fflush(stdout);
  return opt.min < 0 || (score.total.precision() >= opt.min && score.total.recall() >= opt.min);
}

int Main(int argc, char** argv) {
  Options opt;
  opt.corpus_root = fs::path(CODEKG_SOURCE_DIR) / "bench" / "languages" / "corpora";
  auto usage = [] {
    std::fprintf(stderr,
                 "usage: lang_bench [--lang L[,L...]] [--corpus-root DIR] [--repeat N] "
                 "[--show-misses K] [--max-bytes B] [--dir D] [--min F]\n");
  };
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    bool has_value = i + 1 < argc;
    if (a == "--lang" && has_value) {
      std::string v = argv[++i];
      size_t start = 0;
      while (start <= v.size()) {
        size_t comma = v.find(',', start);
        if (comma == std::string::npos) comma = v.size();
        if (comma > start) opt.languages.push_back(v.substr(start, comma - start));
        start = comma + 1;
      }
    } else if (a == "--corpus-root" && has_value) {
      opt.corpus_root = argv[++i];
    } else if (a == "--repeat" && has_value) {
      opt.repeat = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--show-misses" && has_value) {
      opt.show_misses = std::max(0, std::atoi(argv[++i]));
    } else if (a == "--max-bytes" && has_value) {
      opt.max_bytes = std::strtoull(argv[++i], nullptr, 10);
    } else if (a == "--dir" && has_value) {
      opt.dir = argv[++i];
    } else if (a == "--min" && has_value) {
      opt.min = std::atof(argv[++i]);
    } else {
      usage();
      return a == "-h" || a == "--help" ? 0 : 2;
    }
  }
  if (opt.languages.empty()) opt.languages = CorpusLanguages();
  for (const std::string& l : opt.languages) {
    if (std::find(CorpusLanguages().begin(), CorpusLanguages().end(), l) ==
        CorpusLanguages().end()) {
      std::fprintf(stderr, "unknown language %s\n", l.c_str());
      usage();
      return 2;
    }
  }
  bool own_dir = opt.dir.empty();
  if (own_dir) {
    std::string tmpl = (fs::temp_directory_path() / "kg_lang_bench_XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) {
      std::perror("mkdtemp");
      return 2;
    }
    opt.dir = tmpl;
  }
  std::printf("lang_bench: codekg vs universal-ctags on the same files; best of %d; load %s\n",
              opt.repeat, LoadAverage().c_str());
  bool failed_setup = false;
  bool below = false;
  for (const std::string& l : opt.languages) {
    bool ok = RunLanguage(opt, l, &failed_setup);
    below = below || (!ok && !failed_setup);
  }
  std::printf("\nload at end %s\n", LoadAverage().c_str());
  if (own_dir) {
    std::error_code ec;
    fs::remove_all(opt.dir, ec);
  }
  if (failed_setup) return 2;
  return below ? 1 : 0;
}

}  // namespace
}  // namespace kg::bench::languages

int main(int argc, char** argv) { return kg::bench::languages::Main(argc, argv); }
