#include "synth/dedup.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <limits>
#include <unordered_map>

#include "synth/parallel.h"
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

// Appends NormalizeText(text) to `out`.
void AppendNormalized(std::string* out, std::string_view text) {
  const size_t start = out->size();
  bool pending_space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      pending_space = out->size() > start;
      continue;
    }
    if (pending_space) out->push_back(' ');
    pending_space = false;
    out->push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
}

// The exact-dedup key of `p` (see dedup.h) into `key`.
void ExactKey(const TrainingPair& p, std::string* key) {
  key->clear();
  AppendNormalized(key, p.instruction);
  key->push_back('\n');
  AppendNormalized(key, p.input);
  // A record without a question (cpt_corpus text) is identified by its text.
  if (key->size() == 1) {
    key->push_back('\n');
    AppendNormalized(key, p.output);
  }
}

}  // namespace

std::string NormalizeText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  AppendNormalized(&out, text);
  return out;
}

uint64_t DedupExact(std::vector<TrainingPair>* pairs) {
  // Keys are not stored: hash -> index of the first pair with that hash; on a hash match the
  // earlier pair's key is rebuilt and compared (a match is rare: it is a duplicate or a 64-bit
  // collision).
  std::unordered_multimap<uint64_t, uint32_t> seen;
  seen.reserve(pairs->size());
  std::vector<char> drop(pairs->size(), 0);
  std::string key, other;
  for (size_t i = 0; i < pairs->size(); ++i) {
    ExactKey((*pairs)[i], &key);
    const uint64_t h = std::hash<std::string_view>{}(key);
    bool duplicate = false;
    auto [first, last] = seen.equal_range(h);
    for (auto it = first; it != last && !duplicate; ++it) {
      ExactKey((*pairs)[it->second], &other);
      duplicate = other == key;
    }
    if (duplicate) {
      drop[i] = 1;
    } else {
      seen.emplace(h, static_cast<uint32_t>(i));
    }
  }
  return RemoveMarked(pairs, drop);
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

namespace {

// Edit distance of `a` and `b` if it is at most `k`, else some value > k. Myers' bit-vector
// algorithm (Myers 1999; the multi-word form of Hyyro 2003): the DP column over `a` is kept as
// vertical +1/-1 delta bit vectors, 64 rows per word, and advanced one character of `b` at a
// time with a few word operations per block. Exits early once the distance provably exceeds k.
size_t BoundedEditDistance(std::string_view a, std::string_view b, size_t k) {
  const size_t m = a.size(), n = b.size();
  if (m == 0) return n;
  if (n == 0) return m;
  const size_t blocks = (m + 63) / 64;
  // peq[c * blocks + w]: bit i of word w set when a[64 * w + i] == c. Only the rows of the bytes
  // that occur in `a` are cleared after use, so the table is reused across calls.
  thread_local std::vector<uint64_t> peq;
  thread_local std::vector<uint64_t> pv, mv;
  if (peq.size() < 256 * blocks) peq.assign(256 * blocks, 0);
  for (size_t i = 0; i < m; ++i) {
    peq[static_cast<unsigned char>(a[i]) * blocks + i / 64] |= uint64_t{1} << (i % 64);
  }
  pv.assign(blocks, ~uint64_t{0});
  mv.assign(blocks, 0);
  const uint64_t last_bit = uint64_t{1} << ((m - 1) % 64);
  size_t score = m;  // D[m][j], the bottom row
  size_t result = k + 1;
  bool done = false;
  for (size_t j = 0; j < n && !done; ++j) {
    const uint64_t* eq_row = &peq[static_cast<unsigned char>(b[j]) * blocks];
    int carry = 1;  // horizontal delta entering the block from above: D[0][j] - D[0][j-1] = +1
    for (size_t w = 0; w < blocks; ++w) {
      uint64_t eq = eq_row[w];
      const uint64_t p = pv[w], q = mv[w];
      const uint64_t carry_neg = carry < 0 ? 1 : 0;
      const uint64_t carry_pos = carry > 0 ? 1 : 0;
      const uint64_t xv = eq | q;
      eq |= carry_neg;
      const uint64_t xh = (((eq & p) + p) ^ p) | eq;
      uint64_t ph = q | ~(xh | p);
      uint64_t mh = p & xh;
      const uint64_t top = w + 1 == blocks ? last_bit : uint64_t{1} << 63;
      int out = (ph & top) ? 1 : ((mh & top) ? -1 : 0);
      ph = (ph << 1) | carry_pos;
      mh = (mh << 1) | carry_neg;
      pv[w] = mh | ~(xv | ph);
      mv[w] = ph & xv;
      carry = out;
    }
    score = static_cast<size_t>(static_cast<int64_t>(score) + carry);
    // The distance is at least the bottom-row value minus the columns still to come.
    if (score > k + (n - 1 - j)) done = true;
  }
  if (!done) result = score;
  for (size_t i = 0; i < m; ++i) peq[static_cast<unsigned char>(a[i]) * blocks + i / 64] = 0;
  return result;
}

}  // namespace

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
  // A common prefix or suffix never changes the edit distance: compare only the middles.
  size_t prefix = 0;
  while (prefix < n && prefix < m && a[prefix] == b[prefix]) ++prefix;
  a.remove_prefix(prefix);
  b.remove_prefix(prefix);
  size_t suffix = 0;
  while (suffix < a.size() && suffix < b.size() &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) {
    ++suffix;
  }
  a.remove_suffix(suffix);
  b.remove_suffix(suffix);
  // The shorter string is the bit-vector pattern (fewer words per column).
  if (a.size() > b.size()) std::swap(a, b);
  return BoundedEditDistance(a, b, k) <= k;
}

namespace {

// Per band: the bucket (group) of every text, numbered by sorting (key, index); bands
// [from, to).
void GroupBands(const std::vector<Signature>& sigs, int from, int to,
                std::vector<std::vector<uint32_t>>* group, std::vector<uint32_t>* groups_per_band) {
  const size_t n = sigs.size();
  std::vector<std::pair<uint64_t, uint32_t>> keyed(n);
  for (int b = from; b < to; ++b) {
    for (size_t i = 0; i < n; ++i) keyed[i] = {BandKey(sigs[i], b), static_cast<uint32_t>(i)};
    std::sort(keyed.begin(), keyed.end());
    std::vector<uint32_t>& g_of = (*group)[b];
    g_of.resize(n);
    uint32_t g = 0;
    for (size_t i = 0; i < n; ++i) {
      if (i > 0 && keyed[i].first != keyed[i - 1].first) ++g;
      g_of[keyed[i].second] = g;
    }
    (*groups_per_band)[b] = g + 1;
  }
}

// Per band bucket: the latest kPerBucket texts put in (a ring, newest first; kNone = empty).
class Buckets {
 public:
  Buckets(const std::vector<std::vector<uint32_t>>& group,
          const std::vector<uint32_t>& groups_per_band)
      : group_(group), recent_(kBands) {
    std::array<uint32_t, kPerBucket> empty;
    empty.fill(kNone);
    for (int b = 0; b < kBands; ++b) recent_[b].assign(groups_per_band[b], empty);
  }
  // The texts in text i's buckets, each once, in band order then newest first.
  void Candidates(size_t i, std::vector<uint32_t>* out) const {
    out->clear();
    for (int b = 0; b < kBands; ++b) {
      for (uint32_t c : recent_[b][group_[b][i]]) {
        if (c != kNone && std::find(out->begin(), out->end(), c) == out->end()) {
          out->push_back(c);
        }
      }
    }
  }
  void Put(size_t i) {
    for (int b = 0; b < kBands; ++b) {
      auto& ring = recent_[b][group_[b][i]];
      std::rotate(ring.rbegin(), ring.rbegin() + 1, ring.rend());  // newest first
      ring[0] = static_cast<uint32_t>(i);
    }
  }

 private:
  const std::vector<std::vector<uint32_t>>& group_;
  std::vector<std::vector<std::array<uint32_t, kPerBucket>>> recent_;
};

// Results of SimilarAtLeast(texts[i], texts[c]) computed ahead by the second thread, for the
// texts i >= `first`. A slot is read only after `ready` (release/acquire) passed its text.
struct Precomputed {
  static constexpr int kSlots = 6;
  struct Slot {
    std::array<uint32_t, kSlots> other;
    std::array<uint8_t, kSlots> similar;
    uint8_t count = 0;
  };
  size_t first = 0;
  std::vector<Slot> slots;          // slots[i - first]
  std::atomic<size_t> ready{0};     // texts [first, ready) are done
  std::atomic<size_t> position{0};  // the text the first thread is at
};

}  // namespace

std::vector<size_t> FindNearDuplicates(const std::vector<std::string>& texts,
                                       const NearDedupOptions& options,
                                       const std::function<bool()>& cancelled) {
  // Two threads (synth/parallel.h). The signatures, histograms and band buckets are split in
  // halves. The scan that decides which texts are duplicates is sequential (a text is compared
  // with the earlier *kept* texts of its buckets); to share it, the second thread runs ahead over
  // the second half of the texts, comparing each with the latest texts of its buckets as if none
  // had been removed, and this thread's scan reuses those results (the comparison is a pure
  // function) and computes the rest. The result is the one of the sequential scan.
  const size_t n = texts.size();
  std::vector<size_t> removed;
  if (n < 2) return removed;
  std::vector<Signature> sigs(n);
  std::vector<Histogram> hists(n);
  std::atomic<bool> stop{false};
  auto signatures = [&](size_t from, size_t to, const std::function<bool()>& is_cancelled) {
    for (size_t i = from; i < to; ++i) {
      if ((i & 4095) == 0 && is_cancelled && is_cancelled()) {
        stop = true;
        return;
      }
      sigs[i] = MinHash(texts[i], options.shingle);
      hists[i] = ByteHistogram(texts[i]);
    }
  };
  std::vector<std::vector<uint32_t>> group(kBands);
  std::vector<uint32_t> groups_per_band(kBands, 0);
  RunBoth(
      cancelled, [&](const CancelFn& c) { signatures(0, n / 2, c); },
      [&](const CancelFn& c) { signatures(n / 2, n, c); });
  if (stop) return removed;
  RunBoth(
      cancelled,
      [&](const CancelFn&) { GroupBands(sigs, 0, kBands / 2, &group, &groups_per_band); },
      [&](const CancelFn&) { GroupBands(sigs, kBands / 2, kBands, &group, &groups_per_band); });

  // Estimated-Jaccard floor: texts agreeing on fewer MinHash bins are not compared.
  const int min_agreement = 4;  // of 32 (~0.12)
  // The cheap tests before a comparison: the histogram bound rejects ~95% of the candidates of
  // templated text; the MinHash agreement few: test the histogram first.
  auto worth_comparing = [&](size_t i, size_t c) {
    size_t longest = std::max(texts[i].size(), texts[c].size());
    size_t max_edits =
        static_cast<size_t>((1.0 - options.threshold) * static_cast<double>(longest) + 1e-9);
    return HistogramsWithin(hists[i], hists[c], max_edits) &&
           EstimatedAgreement(sigs[i], sigs[c]) >= min_agreement;
  };
  Precomputed ahead;
  ahead.first = n / 2;
  ahead.slots.resize(n - ahead.first);
  ahead.ready.store(ahead.first);
  auto scan = [&](const CancelFn& is_cancelled) {
    Buckets kept(group, groups_per_band);
    std::vector<uint32_t> candidates;
    for (size_t i = 0; i < n; ++i) {
      ahead.position.store(i, std::memory_order_relaxed);
      if ((i & 4095) == 0 && is_cancelled && is_cancelled()) break;
      kept.Candidates(i, &candidates);
      const Precomputed::Slot* slot = nullptr;
      if (i >= ahead.first && ahead.ready.load(std::memory_order_acquire) > i) {
        slot = &ahead.slots[i - ahead.first];
      }
      bool duplicate = false;
      for (uint32_t c : candidates) {
        if (!worth_comparing(i, c)) continue;
        int k = 0;
        while (slot != nullptr && k < slot->count && slot->other[k] != c) ++k;
        duplicate = slot != nullptr && k < slot->count
                        ? slot->similar[k] != 0
                        : SimilarAtLeast(texts[i], texts[c], options.threshold);
        if (duplicate) break;
      }
      if (duplicate) {
        removed.push_back(i);
      } else {
        kept.Put(i);
      }
    }
    ahead.position.store(n, std::memory_order_relaxed);
  };
  auto run_ahead = [&](const CancelFn& is_cancelled) {
    Buckets all(group, groups_per_band);  // every text, as if none were removed
    for (size_t i = 0; i < ahead.first; ++i) all.Put(i);
    std::vector<uint32_t> candidates;
    for (size_t i = ahead.first; i < n; ++i) {
      if ((i & 1023) == 0 && is_cancelled && is_cancelled()) return;
      // Nothing left to share once the scan has passed this text.
      if (ahead.position.load(std::memory_order_relaxed) >= i) return;
      all.Candidates(i, &candidates);
      Precomputed::Slot& slot = ahead.slots[i - ahead.first];
      for (uint32_t c : candidates) {
        if (slot.count == Precomputed::kSlots) break;
        if (!worth_comparing(i, c)) continue;
        bool similar = SimilarAtLeast(texts[i], texts[c], options.threshold);
        slot.other[slot.count] = c;
        slot.similar[slot.count] = similar ? 1 : 0;
        ++slot.count;
        if (similar) break;  // the scan stops at the first similar candidate too
      }
      all.Put(i);
      ahead.ready.store(i + 1, std::memory_order_release);
    }
  };
  RunBoth(cancelled, scan, run_ahead);
  return removed;
}

std::string NearDedupText(const TrainingPair& pair) {
  std::string out;
  out.reserve(pair.instruction.size() + pair.input.size() + pair.output.size() + 2);
  AppendNormalized(&out, pair.instruction);
  out.push_back('\n');
  AppendNormalized(&out, pair.input);
  out.push_back('\n');
  AppendNormalized(&out, pair.output);
  return out;
}

uint64_t DedupNear(std::vector<TrainingPair>* pairs, const NearDedupOptions& options,
                   const std::function<bool()>& cancelled) {
  std::vector<size_t> index;  // texts[k] is the pair index[k]
  index.reserve(pairs->size());
  for (size_t i = 0; i < pairs->size(); ++i) {
    const TrainingPair& p = (*pairs)[i];
    if (p.instruction.empty() && p.input.empty()) continue;  // text records are kept whole
    index.push_back(i);
  }
  std::vector<std::string> texts(index.size());
  auto fill = [&](size_t from, size_t to) {
    for (size_t k = from; k < to; ++k) texts[k] = NearDedupText((*pairs)[index[k]]);
  };
  RunBoth(
      {}, [&](const CancelFn&) { fill(0, texts.size() / 2); },
      [&](const CancelFn&) { fill(texts.size() / 2, texts.size()); });
  std::vector<size_t> found = FindNearDuplicates(texts, options, cancelled);
  if (found.empty()) return 0;
  std::vector<char> drop(pairs->size(), 0);
  for (size_t d : found) drop[index[d]] = 1;
  return RemoveMarked(pairs, drop);
}

}  // namespace kg::synth
