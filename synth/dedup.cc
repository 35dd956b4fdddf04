#include "synth/dedup.h"

#include <algorithm>
#include <array>
#include <limits>
#include <unordered_set>

#include "synth/prng.h"

namespace kg::synth {
namespace {

constexpr int kBins = 32;      // MinHash values per text
constexpr int kBands = 16;     // LSH bands
constexpr int kRows = 2;       // values per band (kBands * kRows == kBins)
constexpr int kPerBucket = 3;  // earlier kept texts compared per band bucket
static_assert(kBands * kRows == kBins);
constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

using Signature = std::array<uint64_t, kBins>;

// One-permutation MinHash with rotation densification (Shrivastava 2017).
Signature MinHash(std::string_view text, int shingle) {
  Signature sig;
  sig.fill(std::numeric_limits<uint64_t>::max());
  size_t n = text.size();
  size_t q = static_cast<size_t>(shingle);
  if (n == 0) {
    sig.fill(0);
    return sig;
  }
  size_t count = n >= q ? n - q + 1 : 1;
  size_t width = std::min(n, q);
  for (size_t i = 0; i < count; ++i) {
    uint64_t h = Mix64(Fnv1a64(text.substr(i, width)));
    size_t bin = h >> 59;  // top 5 bits: 32 bins
    uint64_t v = h & ((uint64_t{1} << 59) - 1);
    if (v < sig[bin]) sig[bin] = v;
  }
  for (int b = 0; b < kBins; ++b) {
    if (sig[b] != std::numeric_limits<uint64_t>::max()) continue;
    for (int step = 1; step < kBins; ++step) {
      uint64_t donor = sig[(b + step) % kBins];
      // Only original (non-densified) values are < 2^59.
      if (donor < (uint64_t{1} << 59)) {
        sig[b] = (uint64_t{1} << 59) | (Mix64(donor + static_cast<uint64_t>(step)) >> 5);
        break;
      }
    }
  }
  return sig;
}

uint64_t BandKey(const Signature& sig, int band) {
  uint64_t h = Mix64(static_cast<uint64_t>(band) + 1);
  for (int r = 0; r < kRows; ++r) h = Mix64(h ^ sig[band * kRows + r]);
  return h;
}

// Byte histogram (64 buckets): half the L1 distance of two histograms is a lower bound of the
// edit distance, so it rejects most candidates before the Levenshtein check.
using Histogram = std::array<uint16_t, 64>;

Histogram ByteHistogram(std::string_view text) {
  Histogram h;
  h.fill(0);
  for (unsigned char c : text) {
    if (h[c & 63] < 0xffff) ++h[c & 63];
  }
  return h;
}

bool HistogramsWithin(const Histogram& a, const Histogram& b, size_t max_edits) {
  size_t l1 = 0;
  for (size_t i = 0; i < a.size(); ++i) l1 += a[i] > b[i] ? a[i] - b[i] : b[i] - a[i];
  return l1 / 2 <= max_edits;
}

int EstimatedAgreement(const Signature& a, const Signature& b) {
  int same = 0;
  for (int i = 0; i < kBins; ++i) same += a[i] == b[i];
  return same;
}

}  // namespace

std::string NormalizeText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

uint64_t DedupExact(std::vector<TrainingPair>* pairs) {
  std::unordered_set<std::string> seen;
  std::vector<TrainingPair> kept;
  kept.reserve(pairs->size());
  for (auto& p : *pairs) {
    std::string key = NormalizeText(p.instruction) + "\n" + NormalizeText(p.input);
    if (seen.insert(std::move(key)).second) kept.push_back(std::move(p));
  }
  uint64_t removed = pairs->size() - kept.size();
  *pairs = std::move(kept);
  return removed;
}

double LevenshteinSimilarity(std::string_view a, std::string_view b) {
  size_t n = a.size(), m = b.size();
  if (n == 0 && m == 0) return 1.0;
  std::vector<size_t> row(m + 1);
  for (size_t j = 0; j <= m; ++j) row[j] = j;
  for (size_t i = 1; i <= n; ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= m; ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return 1.0 - static_cast<double>(row[m]) / static_cast<double>(std::max(n, m));
}

bool SimilarAtLeast(std::string_view a, std::string_view b, double threshold) {
  if (threshold <= 0) return true;
  size_t n = a.size(), m = b.size();
  size_t longest = std::max(n, m);
  if (longest == 0) return true;
  // Largest distance allowed: similarity >= threshold <=> d <= (1 - threshold) * longest.
  double limit = (1.0 - threshold) * static_cast<double>(longest) + 1e-9;
  if (limit < 0) return false;
  size_t k = static_cast<size_t>(limit);
  size_t diff = n > m ? n - m : m - n;
  if (diff > k) return false;
  // Banded DP over cells |i - j| <= k; values above k are clamped to k + 1.
  const size_t kInf = k + 1;
  std::vector<size_t> prev(m + 1, kInf), cur(m + 1, kInf);
  for (size_t j = 0; j <= std::min(m, k); ++j) prev[j] = j;
  for (size_t i = 1; i <= n; ++i) {
    size_t lo = i > k ? i - k : 0;
    size_t hi = std::min(m, i + k);
    std::fill(cur.begin() + static_cast<std::ptrdiff_t>(lo > 0 ? lo - 1 : 0),
              cur.begin() + static_cast<std::ptrdiff_t>(std::min(m, hi + 1) + 1), kInf);
    size_t row_min = kInf;
    for (size_t j = lo; j <= hi; ++j) {
      size_t v;
      if (j == 0) {
        v = i;
      } else {
        v = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      }
      v = std::min(v, kInf);
      cur[j] = v;
      row_min = std::min(row_min, v);
    }
    if (row_min > k) return false;
    std::swap(prev, cur);
  }
  return prev[m] <= k;
}

std::vector<size_t> FindNearDuplicates(const std::vector<std::string>& texts,
                                       const NearDedupOptions& options,
                                       const std::function<bool()>& cancelled) {
  const size_t n = texts.size();
  std::vector<size_t> removed;
  if (n < 2) return removed;
  std::vector<Signature> sigs(n);
  std::vector<Histogram> hists(n);
  for (size_t i = 0; i < n; ++i) {
    if ((i & 4095) == 0 && cancelled && cancelled()) return removed;
    sigs[i] = MinHash(texts[i], options.shingle);
    hists[i] = ByteHistogram(texts[i]);
  }
  // Per band: the bucket (group) of every text, by sorting (key, index).
  std::vector<std::vector<uint32_t>> group(kBands, std::vector<uint32_t>(n));
  std::vector<uint32_t> groups_per_band(kBands, 0);
  {
    std::vector<std::pair<uint64_t, uint32_t>> keyed(n);
    for (int b = 0; b < kBands; ++b) {
      for (size_t i = 0; i < n; ++i) keyed[i] = {BandKey(sigs[i], b), static_cast<uint32_t>(i)};
      std::sort(keyed.begin(), keyed.end());
      uint32_t g = 0;
      for (size_t i = 0; i < n; ++i) {
        if (i > 0 && keyed[i].first != keyed[i - 1].first) ++g;
        group[b][keyed[i].second] = g;
      }
      groups_per_band[b] = g + 1;
    }
  }
  // Per band bucket: the latest kPerBucket kept texts (a ring; kNone = empty slot).
  std::vector<std::vector<std::array<uint32_t, kPerBucket>>> recent(kBands);
  for (int b = 0; b < kBands; ++b) {
    std::array<uint32_t, kPerBucket> empty;
    empty.fill(kNone);
    recent[b].assign(groups_per_band[b], empty);
  }
  // Estimated-Jaccard floor: texts agreeing on fewer MinHash bins are not compared.
  const int min_agreement = 4;  // of 32 (~0.12)
  std::vector<uint32_t> candidates;
  for (size_t i = 0; i < n; ++i) {
    if ((i & 4095) == 0 && cancelled && cancelled()) return removed;
    candidates.clear();
    for (int b = 0; b < kBands; ++b) {
      for (uint32_t c : recent[b][group[b][i]]) {
        if (c != kNone && std::find(candidates.begin(), candidates.end(), c) == candidates.end()) {
          candidates.push_back(c);
        }
      }
    }
    bool duplicate = false;
    for (uint32_t c : candidates) {
      if (EstimatedAgreement(sigs[i], sigs[c]) < min_agreement) continue;
      size_t longest = std::max(texts[i].size(), texts[c].size());
      size_t max_edits =
          static_cast<size_t>((1.0 - options.threshold) * static_cast<double>(longest) + 1e-9);
      if (!HistogramsWithin(hists[i], hists[c], max_edits)) continue;
      if (SimilarAtLeast(texts[i], texts[c], options.threshold)) {
        duplicate = true;
        break;
      }
    }
    if (duplicate) {
      removed.push_back(i);
      continue;
    }
    for (int b = 0; b < kBands; ++b) {
      auto& ring = recent[b][group[b][i]];
      std::rotate(ring.rbegin(), ring.rbegin() + 1, ring.rend());  // newest first
      ring[0] = static_cast<uint32_t>(i);
    }
  }
  return removed;
}

std::string NearDedupText(const TrainingPair& pair) {
  return NormalizeText(pair.instruction) + "\n" + NormalizeText(pair.input) + "\n" +
         NormalizeText(pair.output);
}

uint64_t DedupNear(std::vector<TrainingPair>* pairs, const NearDedupOptions& options,
                   const std::function<bool()>& cancelled) {
  std::vector<std::string> texts;
  texts.reserve(pairs->size());
  for (const auto& p : *pairs) texts.push_back(NearDedupText(p));
  std::vector<size_t> drop = FindNearDuplicates(texts, options, cancelled);
  if (drop.empty()) return 0;
  std::vector<TrainingPair> kept;
  kept.reserve(pairs->size() - drop.size());
  size_t d = 0;
  for (size_t i = 0; i < pairs->size(); ++i) {
    if (d < drop.size() && drop[d] == i) {
      ++d;
      continue;
    }
    kept.push_back(std::move((*pairs)[i]));
  }
  *pairs = std::move(kept);
  return drop.size();
}

}  // namespace kg::synth
