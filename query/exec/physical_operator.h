#pragma once
// PhysicalOperator: the pull-based (Volcano) execution interface. Each operator pulls rows
// lazily from its child; blocking operators (Aggregate, Sort) consume their child on the first
// Next().
//
// Next(row): true with the next row in *row; false at the end of the stream, or early when the
// ExecContext stopped because max_expansions was hit; an error Status (Timeout, type errors,
// storage errors) otherwise. After false or an error, Next() must not be called again.
// Thread-safety: not thread-safe; one execution, one thread.

#include <memory>

#include "common/result.h"
#include "query/exec/exec_context.h"
#include "query/exec/row.h"

namespace kg::query::exec {

class PhysicalOperator {
 public:
  explicit PhysicalOperator(ExecContext& ctx) : ctx_(ctx) {}
  virtual ~PhysicalOperator() = default;
  PhysicalOperator(const PhysicalOperator&) = delete;
  PhysicalOperator& operator=(const PhysicalOperator&) = delete;

  virtual Result<bool> Next(Row* row) = 0;

  // Pulls the rest of the stream and returns how many rows Next() would have yielded, with the
  // same errors, limits and early stop (count(*) needs the number, not the rows). Operators that
  // can count without building their rows override it.
  virtual Result<uint64_t> CountRows() {
    Row row;
    uint64_t n = 0;
    while (true) {
      KG_ASSIGN_OR_RETURN(bool more, Next(&row));
      if (!more) return n;
      ++n;
      KG_RETURN_IF_ERROR(ctx_.Tick());
    }
  }

 protected:
  ExecContext& ctx_;
};

using PhysicalOperatorPtr = std::unique_ptr<PhysicalOperator>;

// Yields one row of `num_slots` empty slots.
class PhysicalStart : public PhysicalOperator {
 public:
  PhysicalStart(ExecContext& ctx, int num_slots) : PhysicalOperator(ctx), num_slots_(num_slots) {}
  Result<bool> Next(Row* row) override {
    if (done_) return false;
    done_ = true;
    row->assign(static_cast<size_t>(num_slots_), Entity());
    return true;
  }

 private:
  int num_slots_;
  bool done_ = false;
};

}  // namespace kg::query::exec
