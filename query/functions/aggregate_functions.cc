// Aggregate functions: count(*), count, collect, min, max, sum, avg.

#include <algorithm>
#include <set>
#include <vector>

#include "common/schema.h"
#include "query/functions/function_registry.h"
#include "query/functions/order.h"

namespace kg::query::functions {
namespace {

class AccumulatorBase : public Accumulator {
 public:
  explicit AccumulatorBase(bool distinct) : distinct_(distinct) {}

  Status Add(const Value& v) final {
    if (v.is_null()) return Status::OK();
    if (distinct_ && !seen_.insert(v).second) return Status::OK();
    return AddValue(v);
  }

 protected:
  virtual Status AddValue(const Value& v) = 0;

 private:
  bool distinct_;
  std::set<Value> seen_;
};

class CountStar : public Accumulator {
 public:
  Status Add(const Value&) override {
    ++count_;
    return Status::OK();
  }
  Value Finish() const override { return Value(count_); }

 private:
  int64_t count_ = 0;
};

class Count : public AccumulatorBase {
 public:
  using AccumulatorBase::AccumulatorBase;
  Value Finish() const override { return Value(count_); }

 protected:
  Status AddValue(const Value&) override {
    ++count_;
    return Status::OK();
  }

 private:
  int64_t count_ = 0;
};

// count(DISTINCT x): the values in a vector, sorted and deduplicated whenever it has doubled
// since the last time and at the end, instead of a std::set (a node allocation per value; the
// agent workload's fan-in ranking inserts one per call edge).
class CountDistinct : public Accumulator {
 public:
  Status Add(const Value& v) override {
    if (v.is_null()) return Status::OK();
    values_.push_back(v);
    if (values_.size() >= compact_at_) {
      Compact();
      compact_at_ = std::max<size_t>(kFirstCompaction, 2 * values_.size());
    }
    return Status::OK();
  }
  Value Finish() const override {
    Compact();
    return Value(static_cast<int64_t>(values_.size()));
  }

 private:
  static constexpr size_t kFirstCompaction = 1024;
  void Compact() const {
    std::sort(values_.begin(), values_.end());
    values_.erase(std::unique(values_.begin(), values_.end()), values_.end());
  }
  mutable std::vector<Value> values_;  // Finish() compacts: the distinct values are the same
  size_t compact_at_ = kFirstCompaction;
};

class Collect : public AccumulatorBase {
 public:
  using AccumulatorBase::AccumulatorBase;
  Value Finish() const override { return Value(values_); }

 protected:
  Status AddValue(const Value& v) override {
    values_.push_back(v);
    return Status::OK();
  }

 private:
  ValueList values_;
};

class MinMax : public AccumulatorBase {
 public:
  MinMax(bool distinct, bool max) : AccumulatorBase(distinct), max_(max) {}
  Value Finish() const override { return best_; }

 protected:
  Status AddValue(const Value& v) override {
    if (best_.is_null()) {
      best_ = v;
    } else {
      int c = OrderCompare(v, best_);  // across types: Cypher's global sort order
      if (max_ ? c > 0 : c < 0) best_ = v;
    }
    return Status::OK();
  }

 private:
  bool max_;
  Value best_;
};

class Sum : public AccumulatorBase {
 public:
  Sum(bool distinct, bool average) : AccumulatorBase(distinct), average_(average) {}
  Value Finish() const override {
    if (average_) {
      if (count_ == 0) return Value();
      return Value((all_int_ ? static_cast<double>(int_sum_) : double_sum_) /
                   static_cast<double>(count_));
    }
    return all_int_ ? Value(int_sum_) : Value(double_sum_);
  }

 protected:
  Status AddValue(const Value& v) override {
    if (!v.is_number()) {
      return Status::InvalidArgument(std::string(average_ ? "avg" : "sum") +
                                     "() expects numbers, got " + v.DebugString());
    }
    ++count_;
    if (all_int_ && v.is_int()) {
      int64_t out = 0;
      if (!__builtin_add_overflow(int_sum_, v.as_int(), &out)) {
        int_sum_ = out;
        return Status::OK();
      }
    }
    if (all_int_) {
      all_int_ = false;
      double_sum_ = static_cast<double>(int_sum_);
    }
    double_sum_ += v.as_number();
    return Status::OK();
  }

 private:
  bool average_;
  bool all_int_ = true;
  int64_t int_sum_ = 0;
  double double_sum_ = 0;
  int64_t count_ = 0;
};

}  // namespace

std::optional<AggregateKind> FindAggregate(std::string_view name) {
  std::string lower = schema::ToLowerAscii(name);
  if (lower == "count") return AggregateKind::kCount;
  if (lower == "collect") return AggregateKind::kCollect;
  if (lower == "min") return AggregateKind::kMin;
  if (lower == "max") return AggregateKind::kMax;
  if (lower == "sum") return AggregateKind::kSum;
  if (lower == "avg") return AggregateKind::kAvg;
  return std::nullopt;
}

std::string_view AggregateName(AggregateKind kind) {
  switch (kind) {
    case AggregateKind::kCountStar:
    case AggregateKind::kCount:
      return "count";
    case AggregateKind::kCollect:
      return "collect";
    case AggregateKind::kMin:
      return "min";
    case AggregateKind::kMax:
      return "max";
    case AggregateKind::kSum:
      return "sum";
    case AggregateKind::kAvg:
      return "avg";
  }
  return "?";
}

std::unique_ptr<Accumulator> MakeAccumulator(AggregateKind kind, bool distinct) {
  switch (kind) {
    case AggregateKind::kCountStar:
      return std::make_unique<CountStar>();
    case AggregateKind::kCount:
      if (distinct) return std::make_unique<CountDistinct>();
      return std::make_unique<Count>(false);
    case AggregateKind::kCollect:
      return std::make_unique<Collect>(distinct);
    case AggregateKind::kMin:
      return std::make_unique<MinMax>(distinct, false);
    case AggregateKind::kMax:
      return std::make_unique<MinMax>(distinct, true);
    case AggregateKind::kSum:
      return std::make_unique<Sum>(distinct, false);
    case AggregateKind::kAvg:
      return std::make_unique<Sum>(distinct, true);
  }
  return nullptr;
}

}  // namespace kg::query::functions
