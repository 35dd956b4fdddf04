#include "synth/job.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <unordered_set>
#include <utility>

#include "synth/check/api_check.h"
#include "synth/dedup.h"
#include "synth/export.h"
#include "synth/parallel.h"
#include "synth/prng.h"
#include "synth/strategies.h"

namespace kg::synth {
namespace {

using Json = nlohmann::json;

Status FieldError(std::string_view field, std::string_view what) {
  return Status::InvalidArgument("field '" + std::string(field) + "' " + std::string(what));
}

Result<std::vector<std::string>> StringList(const Json& v, std::string_view field) {
  std::vector<std::string> out;
  if (v.is_string()) {
    out.push_back(v.get<std::string>());
    return out;
  }
  if (!v.is_array()) return FieldError(field, "must be a string or a list of strings");
  for (const auto& x : v) {
    if (!x.is_string()) return FieldError(field, "must be a string or a list of strings");
    out.push_back(x.get<std::string>());
  }
  return out;
}

Result<uint64_t> Unsigned(const Json& v, std::string_view field) {
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_integer()) {
    int64_t x = v.get<int64_t>();
    if (x >= 0) return static_cast<uint64_t>(x);
  }
  return FieldError(field, "must be a non-negative integer");
}

Result<bool> Bool(const Json& v, std::string_view field) {
  if (!v.is_boolean()) return FieldError(field, "must be true or false");
  return v.get<bool>();
}

// Splits `count` over the strategies in proportion to their weights (largest remainder; ties
// by name order).
std::map<std::string, uint64_t> Quotas(const std::map<std::string, double>& mix, uint64_t count) {
  double total = 0;
  for (const auto& [name, w] : mix) total += w;
  std::map<std::string, uint64_t> quota;
  std::vector<std::pair<double, std::string>> remainders;
  uint64_t given = 0;
  for (const auto& [name, w] : mix) {
    double exact = static_cast<double>(count) * w / total;
    uint64_t q = static_cast<uint64_t>(std::floor(exact));
    quota[name] = q;
    given += q;
    remainders.emplace_back(-(exact - static_cast<double>(q)), name);
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (size_t i = 0; given < count && i < remainders.size(); ++i, ++given) {
    ++quota[remainders[i].second];
  }
  return quota;
}

// Keeps `keep` pairs chosen by the seed (smallest SeededHash of the normalized question),
// preserving the canonical order of the survivors.
void Sample(std::vector<TrainingPair>* pairs, uint64_t seed, size_t keep) {
  if (pairs->size() <= keep) return;
  std::vector<std::pair<uint64_t, size_t>> keyed;
  keyed.reserve(pairs->size());
  for (size_t i = 0; i < pairs->size(); ++i) {
    const TrainingPair& p = (*pairs)[i];
    std::string key = NormalizeText(p.instruction) + "\n" + NormalizeText(p.input);
    if (key.size() == 1) key += "\n" + p.subject;  // cpt_corpus text: no question
    keyed.emplace_back(SeededHash(seed ^ 0x5eed5eed5eed5eedULL, key), i);
  }
  std::nth_element(keyed.begin(), keyed.begin() + static_cast<std::ptrdiff_t>(keep), keyed.end());
  keyed.resize(keep);
  std::vector<size_t> idx;
  idx.reserve(keep);
  for (const auto& k : keyed) idx.push_back(k.second);
  std::sort(idx.begin(), idx.end());
  std::vector<TrainingPair> kept;
  kept.reserve(keep);
  for (size_t i : idx) kept.push_back(std::move((*pairs)[i]));
  *pairs = std::move(kept);
}

bool PassesFilters(const TrainingPair& p, const SynthSpec& spec) {
  if (!spec.paths.empty()) {
    bool any = false;
    for (const auto& prefix : spec.paths) {
      if (!p.path.empty() && p.path.compare(0, prefix.size(), prefix) == 0) any = true;
    }
    if (!any) return false;
  }
  if (!spec.labels.empty() &&
      std::find(spec.labels.begin(), spec.labels.end(), p.label) == spec.labels.end()) {
    return false;
  }
  return true;
}

// InvalidArgument if a strategy of the mix supports only another format (cpt_corpus: text).
Status CheckFormatOfMix(const SynthSpec& spec) {
  for (const auto& [name, w] : spec.mix) {
    const StrategyEntry* s = FindStrategy(name);
    if (s != nullptr && !s->format.empty() && s->format != spec.format) {
      return Status::InvalidArgument("strategy '" + name + "' supports only format '" +
                                     std::string(s->format) + "' (got '" + spec.format +
                                     "'): " + std::string(s->doc));
    }
  }
  return Status::OK();
}

// CPU time of the job, in milliseconds: its thread's and that of the second threads its stages
// start (synth/parallel.h).
double JobCpuMs() { return ThreadCpuMs() + HelperCpuMs(); }

// Progress bookkeeping: `done` never decreases.
class Progress {
 public:
  explicit Progress(SynthObserver* observer) : observer_(observer) {}
  void SetTotal(uint64_t total) { total_ = std::max(total, done_); }
  void Step(uint64_t units = 1, bool force = true) {
    done_ += units;
    if (observer_ != nullptr && (force || (done_ & 255) == 0)) {
      observer_->OnProgress(done_, total_);
    }
  }

 private:
  SynthObserver* observer_;
  uint64_t done_ = 0;
  uint64_t total_ = 0;
};

}  // namespace

Result<SynthSpec> ParseSynthSpec(const Json& body) {
  if (!body.is_object()) return Status::InvalidArgument("synthesis spec must be a JSON object");
  SynthSpec spec;
  bool has_strategy = body.contains("strategy"), has_mix = body.contains("mix");
  if (has_strategy && has_mix) {
    return Status::InvalidArgument("give either field 'strategy' or field 'mix', not both");
  }
  if (body.contains("count") && body.contains("max_pairs")) {
    return Status::InvalidArgument("give either field 'count' or field 'max_pairs', not both");
  }
  for (const auto& [key, v] : body.items()) {
    if (key == "strategy") {
      if (!v.is_string()) return FieldError(key, "must be a string");
      spec.mix = {{v.get<std::string>(), 1.0}};
    } else if (key == "mix") {
      if (!v.is_object() || v.empty()) {
        return FieldError(key, "must be a non-empty object {strategy: weight}");
      }
      spec.mix.clear();
      for (const auto& [name, w] : v.items()) {
        if (!w.is_number() || !(w.get<double>() > 0) || !std::isfinite(w.get<double>())) {
          return FieldError("mix." + name, "must be a positive number");
        }
        spec.mix[name] = w.get<double>();
      }
    } else if (key == "seed") {
      KG_ASSIGN_OR_RETURN(spec.seed, Unsigned(v, key));
    } else if (key == "count" || key == "max_pairs") {
      KG_ASSIGN_OR_RETURN(spec.count, Unsigned(v, key));
    } else if (key == "format") {
      if (!v.is_string()) return FieldError(key, "must be a string");
      spec.format = v.get<std::string>();
    } else if (key == "filters") {
      if (!v.is_object()) return FieldError(key, "must be an object {paths?, labels?}");
      for (const auto& [fk, fv] : v.items()) {
        if (fk == "paths") {
          KG_ASSIGN_OR_RETURN(spec.paths, StringList(fv, "filters.paths"));
        } else if (fk == "labels") {
          KG_ASSIGN_OR_RETURN(spec.labels, StringList(fv, "filters.labels"));
        } else {
          return FieldError("filters." + fk, "is unknown (known: paths, labels)");
        }
      }
    } else if (key == "negatives") {
      KG_ASSIGN_OR_RETURN(spec.negatives, Bool(v, key));
    } else if (key == "check_api") {
      KG_ASSIGN_OR_RETURN(spec.check_api, Bool(v, key));
    } else if (key == "teacher") {
      if (!v.is_object()) {
        return FieldError(key, "must be an object {url, model?, api_key_env?, timeout_ms?}");
      }
      for (const auto& [tk, tv] : v.items()) {
        if (tk == "url" || tk == "model" || tk == "api_key_env") {
          if (!tv.is_string()) return FieldError("teacher." + tk, "must be a string");
          std::string s = tv.get<std::string>();
          if (tk == "url") {
            if (s.rfind("http://", 0) != 0 && s.rfind("https://", 0) != 0) {
              return FieldError("teacher.url", "must start with http:// or https://");
            }
            spec.teacher.url = s;
          } else if (tk == "model") {
            spec.teacher.model = s;
          } else {
            spec.teacher.api_key_env = s;
          }
        } else if (tk == "timeout_ms") {
          KG_ASSIGN_OR_RETURN(spec.teacher.timeout_ms, Unsigned(tv, "teacher.timeout_ms"));
          if (spec.teacher.timeout_ms < 1 || spec.teacher.timeout_ms > 600000) {
            return FieldError("teacher.timeout_ms", "must be in 1..600000");
          }
        } else {
          return FieldError("teacher." + tk,
                            "is unknown (known: url, model, api_key_env, timeout_ms)");
        }
      }
      if (spec.teacher.url.empty()) return FieldError("teacher.url", "is required");
    } else if (key == "chunk_bytes") {
      KG_ASSIGN_OR_RETURN(spec.chunk_bytes, Unsigned(v, key));
      if (spec.chunk_bytes < 256 || spec.chunk_bytes > (uint64_t{1} << 24)) {
        return FieldError(key, "must be in 256..16777216");
      }
    } else if (key == "dedup") {
      if (!v.is_object()) return FieldError(key, "must be an object {near?, threshold?, shingle?}");
      for (const auto& [dk, dv] : v.items()) {
        if (dk == "near") {
          KG_ASSIGN_OR_RETURN(spec.near_dedup.enabled, Bool(dv, "dedup.near"));
        } else if (dk == "threshold") {
          if (!dv.is_number() || !(dv.get<double>() > 0 && dv.get<double>() <= 1)) {
            return FieldError("dedup.threshold", "must be a number in (0, 1]");
          }
          spec.near_dedup.threshold = dv.get<double>();
        } else if (dk == "shingle") {
          KG_ASSIGN_OR_RETURN(uint64_t s, Unsigned(dv, "dedup.shingle"));
          if (s < 2 || s > 16) return FieldError("dedup.shingle", "must be in 2..16");
          spec.near_dedup.shingle = static_cast<int>(s);
        } else {
          return FieldError("dedup." + dk, "is unknown (known: near, threshold, shingle)");
        }
      }
    } else {
      return FieldError(key,
                        "is unknown (known: strategy, mix, seed, count, max_pairs, format, "
                        "filters, negatives, check_api, chunk_bytes, teacher, dedup)");
    }
  }
  for (const auto& [name, w] : spec.mix) {
    if (FindStrategy(name) == nullptr) {
      return Status::InvalidArgument("unknown synthesis strategy '" + name +
                                     "' (supported: " + StrategyNames() + ")");
    }
  }
  if (!IsKnownFormat(spec.format)) {
    return Status::InvalidArgument("unknown format '" + spec.format +
                                   "' (supported: " + ExportFormatNames() + ")");
  }
  KG_RETURN_IF_ERROR(CheckFormatOfMix(spec));
  return spec;
}

Json SynthSpecToJson(const SynthSpec& spec) {
  Json mix = Json::object();
  for (const auto& [name, w] : spec.mix) mix[name] = w;
  Json out = Json{{"mix", mix},
                  {"seed", spec.seed},
                  {"count", spec.count},
                  {"format", spec.format},
                  {"filters", {{"paths", spec.paths}, {"labels", spec.labels}}},
                  {"negatives", spec.negatives},
                  {"check_api", spec.check_api},
                  {"chunk_bytes", spec.chunk_bytes},
                  {"dedup",
                   {{"near", spec.near_dedup.enabled},
                    {"threshold", spec.near_dedup.threshold},
                    {"shingle", spec.near_dedup.shingle}}}};
  if (spec.teacher.enabled()) {
    out["teacher"] = {{"url", spec.teacher.url},
                      {"model", spec.teacher.model},
                      {"api_key_env", spec.teacher.api_key_env},
                      {"timeout_ms", spec.teacher.timeout_ms}};
  }
  return out;
}

Result<Json> RunSynthJob(storage::GraphStore& store, std::string_view graph, const SynthSpec& spec,
                         SynthObserver* observer, uint64_t resume_after) {
  auto start = std::chrono::steady_clock::now();
  // 0. Validate the spec (it may not come from ParseSynthSpec).
  if (spec.mix.empty()) return Status::InvalidArgument("the synthesis mix names no strategy");
  for (const auto& [name, w] : spec.mix) {
    if (FindStrategy(name) == nullptr) {
      return Status::InvalidArgument("unknown synthesis strategy '" + name +
                                     "' (supported: " + StrategyNames() + ")");
    }
    if (!(w > 0) || !std::isfinite(w)) {
      return Status::InvalidArgument("weight of strategy '" + name + "' must be positive");
    }
  }
  if (!IsKnownFormat(spec.format)) {
    return Status::InvalidArgument("unknown format '" + spec.format +
                                   "' (supported: " + ExportFormatNames() + ")");
  }
  KG_RETURN_IF_ERROR(CheckFormatOfMix(spec));
  std::function<bool()> cancelled;
  if (observer != nullptr) cancelled = [observer] { return observer->Cancelled(); };
  auto is_cancelled = [&] { return cancelled && cancelled(); };
  Progress progress(observer);
  progress.SetTotal(spec.mix.size());

  Json summary = Json::object();
  Json stage_ms = Json::object(), stage_cpu_ms = Json::object();
  auto stage_start = std::chrono::steady_clock::now();
  double stage_cpu_start = JobCpuMs();
  auto end_stage = [&](const char* name) {
    auto now = std::chrono::steady_clock::now();
    double cpu = JobCpuMs();
    stage_ms[name] = std::chrono::duration<double, std::milli>(now - stage_start).count();
    stage_cpu_ms[name] = cpu - stage_cpu_start;
    stage_start = now;
    stage_cpu_start = cpu;
  };
  std::map<std::string, uint64_t> per_strategy, per_relation, per_direction;
  uint64_t candidates = 0, filtered_out = 0;

  // 1. Walks, one per strategy of the mix (map order), then filters.
  std::map<std::string, std::vector<TrainingPair>> by_strategy;
  if (spec.chunk_bytes == 0) return Status::InvalidArgument("field 'chunk_bytes' must be positive");
  std::map<std::string, uint64_t> walk_stats;
  WalkContext walk{store,
                   graph,
                   spec.seed,
                   spec.negatives,
                   cancelled,
                   static_cast<size_t>(spec.chunk_bytes),
                   spec.teacher.enabled() ? &spec.teacher : nullptr,
                   &walk_stats};
  for (const auto& [name, w] : spec.mix) {
    const StrategyEntry* strategy = FindStrategy(name);
    KG_ASSIGN_OR_RETURN(std::vector<TrainingPair> pairs, strategy->walk(walk));
    if (is_cancelled()) return Status::Cancelled("cancelled");
    candidates += pairs.size();
    for (auto& p : pairs) p.strategy = name;
    if (!spec.paths.empty() || !spec.labels.empty()) {
      size_t before = pairs.size();
      std::erase_if(pairs, [&](const TrainingPair& p) { return !PassesFilters(p, spec); });
      filtered_out += before - pairs.size();
    }
    by_strategy[name] = std::move(pairs);
    progress.Step();
  }
  end_stage("walks");

  // 2. The API check: a code answer that references a missing API or calls one with the wrong
  // number of arguments is rejected.
  uint64_t checked = 0, rejected = 0, references = 0, resolved_refs = 0;
  if (spec.check_api) {
    ApiChecker checker(store, std::string(graph));
    for (auto& [name, pairs] : by_strategy) {
      std::vector<char> failed(pairs.size(), 0);  // failed[i]: pair i's code failed the check
      for (size_t i = 0; i < pairs.size(); ++i) {
        TrainingPair& p = pairs[i];
        if (p.code.empty()) continue;
        if (is_cancelled()) return Status::Cancelled("cancelled");
        ++checked;
        Result<Json> check = checker.Check(p.code);
        if (!check.ok() && !check.status().IsInvalidArgument()) return check.status();
        if (!check.ok() || !(*check)["ok"].get<bool>()) {
          ++rejected;
          failed[i] = 1;
          continue;
        }
        for (const auto& ref : (*check)["references"]) {
          ++references;
          if (ref["status"] == "resolved") {
            ++resolved_refs;
            p.apis.push_back(ref["qualified_name"].get<std::string>());
          }
        }
      }
      RemoveMarked(&pairs, failed);
    }
  }

  end_stage("api_check");

  // 3. Dedup over all strategies together (exact, then near), keeping the first occurrence.
  std::vector<TrainingPair> all;
  if (by_strategy.size() == 1) {
    all = std::move(by_strategy.begin()->second);  // one strategy: no per-pair move
  } else {
    size_t total = 0;
    for (const auto& [name, pairs] : by_strategy) total += pairs.size();
    all.reserve(total);  // a TrainingPair is ~0.5 KB to move: no regrowth
    for (auto& [name, pairs] : by_strategy) {
      for (auto& p : pairs) all.push_back(std::move(p));
    }
  }
  uint64_t exact_removed = DedupExact(&all);
  uint64_t near_removed = 0;
  if (spec.near_dedup.enabled) {
    near_removed = DedupNear(&all, {spec.near_dedup.threshold, spec.near_dedup.shingle}, cancelled);
  }
  if (is_cancelled()) return Status::Cancelled("cancelled");

  end_stage("dedup");

  // 4. Sampling: the count split over the mix.
  by_strategy.clear();
  if (spec.mix.size() == 1) {
    if (!all.empty()) by_strategy[spec.mix.begin()->first] = std::move(all);
  } else {
    for (auto& p : all) by_strategy[p.strategy].push_back(std::move(p));
  }
  all.clear();
  if (spec.count > 0) {
    std::map<std::string, uint64_t> quota = Quotas(spec.mix, spec.count);
    for (auto& [name, pairs] : by_strategy) {
      Sample(&pairs, spec.seed ^ Fnv1a64(name), static_cast<size_t>(quota[name]));
    }
  }
  uint64_t records = 0;
  for (const auto& [name, pairs] : by_strategy) records += pairs.size();
  progress.SetTotal(spec.mix.size() + 1 + records);
  progress.Step();

  // 5. Export and deliver.
  uint64_t index = 0, delivered = 0, negatives = 0;
  // Views into the pairs of by_strategy, which outlive the set.
  std::unordered_set<std::string_view> apis;
  std::string dir;
  ExportContext context{"", std::string(graph)};
  for (const auto& [name, pairs] : by_strategy) {
    for (const TrainingPair& p : pairs) {
      if (is_cancelled()) return Status::Cancelled("cancelled");
      ++per_strategy[name];
      ++per_relation[p.relation];
      dir.assign(p.relation).append("/").append(p.direction);
      ++per_direction[dir];
      if (p.negative) ++negatives;
      apis.insert(p.apis.begin(), p.apis.end());
      if (index++ >= resume_after) {
        KG_ASSIGN_OR_RETURN(std::string line, ExportLine(spec.format, p, context));
        if (observer != nullptr) KG_RETURN_IF_ERROR(observer->OnRecord(line));
        ++delivered;
      }
      progress.Step(1, /*force=*/false);
    }
  }
  if (observer != nullptr)
    observer->OnProgress(spec.mix.size() + 1 + records, spec.mix.size() + 1 + records);
  end_stage("export");

  Json strategies = Json::array();
  for (const auto& [name, w] : spec.mix) strategies.push_back(name);
  summary["graph"] = std::string(graph);
  summary["strategies"] = strategies;
  summary["format"] = spec.format;
  summary["seed"] = spec.seed;
  summary["records"] = records;
  summary["delivered"] = delivered;
  summary["candidates"] = candidates;
  summary["per_strategy"] = per_strategy;
  summary["per_relation"] = per_relation;
  summary["per_direction"] = per_direction;
  summary["negatives"] = negatives;
  summary["filtered_out"] = filtered_out;
  summary["api_check"] = {{"enabled", spec.check_api}, {"checked", checked},
                          {"rejected", rejected},      {"references", references},
                          {"resolved", resolved_refs}, {"apis_covered", apis.size()}};
  summary["duplicates_removed"] = {{"exact", exact_removed}, {"near", near_removed}};
  summary["walk_stats"] = Json::object();
  for (const auto& [k, v] : walk_stats) summary["walk_stats"][k] = v;
  summary["stage_ms"] = stage_ms;
  summary["stage_cpu_ms"] = stage_cpu_ms;
  summary["elapsed_ms"] =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace kg::synth
