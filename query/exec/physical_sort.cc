#include "query/exec/physical_sort.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <limits>

#include "query/exec/expression_evaluator.h"
#include "query/functions/order.h"

namespace kg::query::exec {

PhysicalSort::PhysicalSort(ExecContext& ctx, const plan::LogicalSort& op, PhysicalOperatorPtr child)
    : PhysicalOperator(ctx), op_(op), child_(std::move(child)) {}

Status PhysicalSort::Consume() {
  Row row;
  int_keys_ = op_.keys.size() == 1;
  while (true) {
    KG_ASSIGN_OR_RETURN(bool more, child_->Next(&row));
    if (!more) break;
    KG_RETURN_IF_ERROR(ctx_.Tick());
    for (const auto* key : op_.keys) {
      const bind::BoundExpr& e = *key->expr;
      // A returned column (the common key): its computed value, as Evaluate would copy it.
      const Value* v = nullptr;
      Value computed;
      if (e.kind == bind::BoundExprKind::kSlot && e.slot >= 0 &&
          static_cast<size_t>(e.slot) < row.size()) {
        v = std::get_if<Value>(&row[static_cast<size_t>(e.slot)]);
      }
      if (v == nullptr) {
        KG_ASSIGN_OR_RETURN(computed, Evaluate(e, row, ctx_));
        v = &computed;
      }
      if (int_keys_ && v->is_int()) {
        ints_.emplace_back(v->as_int(), static_cast<uint32_t>(where_.size()));
        continue;
      }
      if (int_keys_) {  // the first key that is not an integer: back to Values
        int_keys_ = false;
        keys_.reserve(ints_.size() + 1);
        for (const auto& [k, row_index] : ints_) keys_.emplace_back(k);
        ints_.clear();
      }
      keys_.push_back(v == &computed ? std::move(computed) : *v);
    }
    // The row's entities are moved into the current chunk; `row` keeps its buffer for the next
    // row. A full chunk is never grown (that would move every entity in it): a new one starts.
    if (chunks_.empty() || chunks_.back().capacity() - chunks_.back().size() < row.size()) {
      chunks_.emplace_back().reserve(std::max(kChunkEntities, row.size()));
    }
    std::vector<Entity>& chunk = chunks_.back();
    where_.push_back(Where{static_cast<uint32_t>(chunks_.size() - 1),
                           static_cast<uint32_t>(chunk.size()), static_cast<uint32_t>(row.size())});
    chunk.insert(chunk.end(), std::make_move_iterator(row.begin()),
                 std::make_move_iterator(row.end()));
  }
  const size_t rows = where_.size();
  if (rows > std::numeric_limits<uint32_t>::max()) {
    return Status::ResourceExhausted("ORDER BY over more than 2^32 rows");
  }
  order_.resize(rows);
  if (int_keys_) {
    // (value, row) pairs are distinct, so sorting them is stable by row; DESC orders the values
    // the other way and the rows still ascending.
    if (op_.keys[0]->descending) {
      std::sort(ints_.begin(), ints_.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
      });
    } else {
      std::sort(ints_.begin(), ints_.end());
    }
    for (size_t i = 0; i < rows; ++i) order_[i] = ints_[i].second;
    return Status::OK();
  }
  for (size_t i = 0; i < order_.size(); ++i) order_[i] = static_cast<uint32_t>(i);
  const size_t n = op_.keys.size();
  std::stable_sort(order_.begin(), order_.end(), [this, n](uint32_t a, uint32_t b) {
    const Value* ka = &keys_[a * n];
    const Value* kb = &keys_[b * n];
    for (size_t i = 0; i < n; ++i) {
      int c = 0;
      if (ka[i].is_int() && kb[i].is_int()) {  // OrderCompare of two integers, without the ranks
        const int64_t x = ka[i].as_int(), y = kb[i].as_int();
        c = x < y ? -1 : (y < x ? 1 : 0);
      } else {
        c = functions::OrderCompare(ka[i], kb[i]);
      }
      if (c != 0) return op_.keys[i]->descending ? c > 0 : c < 0;
    }
    return false;
  });
  return Status::OK();
}

Result<bool> PhysicalSort::Next(Row* row) {
  if (!consumed_) {
    KG_RETURN_IF_ERROR(Consume());
    consumed_ = true;
  }
  if (next_ >= order_.size()) return false;
  const Where& w = where_[order_[next_++]];
  auto begin = chunks_[w.chunk].begin() + static_cast<ptrdiff_t>(w.offset);
  row->assign(std::make_move_iterator(begin),
              std::make_move_iterator(begin + static_cast<ptrdiff_t>(w.size)));
  return true;
}

}  // namespace kg::query::exec
