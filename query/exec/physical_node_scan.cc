#include "query/exec/physical_node_scan.h"

#include <algorithm>

namespace kg::query::exec {

using Mode = plan::LogicalNodeScan::Mode;

namespace {

// The nodes found by id, as a cursor.
class KeyListCursor : public storage::NodeCursor {
 public:
  KeyListCursor(std::vector<storage::NodeKey> keys, Status status)
      : keys_(std::move(keys)), status_(std::move(status)) {}
  bool Next(storage::NodeKey* key) override {
    if (!status_.ok() || next_ >= keys_.size()) return false;
    *key = keys_[next_++];
    return true;
  }
  Status status() const override { return status_; }

 private:
  std::vector<storage::NodeKey> keys_;
  Status status_;
  size_t next_ = 0;
};

}  // namespace

PhysicalNodeScan::PhysicalNodeScan(ExecContext& ctx, const plan::LogicalNodeScan& op,
                                   PhysicalOperatorPtr child)
    : PhysicalOperator(ctx), op_(op), child_(std::move(child)) {}

bool PhysicalNodeScan::OpenNextCursor() {
  storage::Snapshot& snap = ctx_.snapshot();
  cursor_.reset();
  ahead_.clear();
  ahead_pos_ = 0;
  cursor_done_ = false;
  switch (op_.mode) {
    case Mode::kEmpty:
      return false;
    case Mode::kAll:
      if (combo_ > 0) return false;
      cursor_ = snap.ScanAll();
      break;
    case Mode::kById: {
      if (combo_ > 0) return false;
      std::vector<storage::NodeKey> keys;
      Status status;
      for (const auto& id : op_.names) {
        auto key = snap.FindNode(id);
        if (!key.ok()) {
          status = key.status();
          break;
        }
        if (*key && std::find(keys.begin(), keys.end(), **key) == keys.end()) {
          keys.push_back(**key);
        }
      }
      cursor_ = std::make_unique<KeyListCursor>(std::move(keys), std::move(status));
      break;
    }
    case Mode::kQualifiedName: {
      if (combo_ >= op_.names.size()) return false;
      std::optional<storage::LabelId> label;
      if (op_.labels.size() == 1) label = op_.labels[0];
      cursor_ = snap.ScanQualifiedName(op_.names[combo_], label);
      break;
    }
    case Mode::kQualifiedNameSuffix: {
      if (combo_ > 0 || op_.names.empty()) return false;
      std::optional<storage::LabelId> label;
      if (op_.labels.size() == 1) label = op_.labels[0];
      cursor_ = snap.ScanQualifiedNameSuffix(op_.names[0], label);
      break;
    }
    case Mode::kNamePrefix:
      if (combo_ >= op_.labels.size() || op_.names.empty()) return false;
      cursor_ = snap.ScanLabelNamePrefix(op_.labels[combo_], op_.names[0], op_.case_insensitive);
      break;
    case Mode::kPathPrefix:
      if (combo_ > 0 || op_.names.empty()) return false;
      cursor_ = snap.ScanPathPrefix(op_.names[0]);
      break;
    case Mode::kPathLabel:
      if (combo_ > 0 || op_.names.empty() || op_.labels.size() != 1) return false;
      cursor_ = snap.ScanPathLabel(op_.names[0], op_.labels[0]);
      break;
    case Mode::kAtLine:
      if (combo_ > 0 || op_.names.empty()) return false;
      cursor_ = snap.ScanAtLine(op_.names[0], op_.line);
      break;
    case Mode::kNameTrigrams: {
      if (combo_ > 0) return false;
      std::optional<storage::LabelId> label;
      if (op_.labels.size() == 1) label = op_.labels[0];
      cursor_ = snap.ScanNameTrigrams(op_.names, label);
      break;
    }
    case Mode::kLabel:
      if (combo_ >= op_.labels.size()) return false;
      cursor_ = snap.ScanLabel(op_.labels[combo_]);
      break;
    case Mode::kLabelName: {
      if (op_.names.empty() || combo_ >= op_.labels.size() * op_.names.size()) return false;
      size_t label = combo_ / op_.names.size();
      size_t name = combo_ % op_.names.size();
      cursor_ = snap.ScanLabelName(op_.labels[label], op_.names[name], op_.case_insensitive);
      break;
    }
  }
  ++combo_;
  return true;
}

bool PhysicalNodeScan::NextKey(storage::NodeKey* key, Status* status) {
  if (!op_.prefetch) return cursor_->Next(key);
  if (ahead_pos_ >= ahead_.size()) {
    ahead_.clear();
    ahead_pos_ = 0;
    storage::NodeKey k = 0;
    while (!cursor_done_ && ahead_.size() < kReadAhead) {
      if (cursor_->Next(&k)) {
        ahead_.push_back(k);
      } else {
        cursor_done_ = true;
      }
    }
    if (ahead_.empty()) return false;
    *status = ctx_.Prefetch(ahead_.data(), ahead_.size());
    if (!status->ok()) return false;
  }
  *key = ahead_[ahead_pos_++];
  return true;
}

Result<bool> PhysicalNodeScan::Next(Row* row) {
  while (true) {
    if (!have_input_) {
      KG_ASSIGN_OR_RETURN(bool more, child_->Next(&input_));
      if (!more) return false;
      have_input_ = true;
      combo_ = 0;
      if (!OpenNextCursor()) {
        have_input_ = false;
        continue;
      }
    }
    storage::NodeKey key = 0;
    Status prefetch_status;
    while (NextKey(&key, &prefetch_status)) {
      KG_RETURN_IF_ERROR(ctx_.Tick());
      // Index of the label this cursor scans; skip nodes already emitted for an earlier label.
      const size_t label_index =
          op_.mode == Mode::kLabelName ? (combo_ - 1) / op_.names.size() : combo_ - 1;
      const bool label_union =
          op_.mode == Mode::kLabel || op_.mode == Mode::kLabelName || op_.mode == Mode::kNamePrefix;
      if (label_union && label_index > 0) {
        KG_ASSIGN_OR_RETURN(const std::vector<storage::LabelId>* labels, ctx_.NodeLabels(key));
        bool seen = false;
        for (size_t i = 0; i < label_index && !seen; ++i) {
          for (auto id : *labels) seen = seen || id == op_.labels[i];
        }
        if (seen) continue;
      }
      ++ctx_.stats().nodes_scanned;
      *row = input_;
      (*row)[static_cast<size_t>(op_.slot)] = NodeRef{key};
      return true;
    }
    KG_RETURN_IF_ERROR(prefetch_status);
    KG_RETURN_IF_ERROR(cursor_->status());
    if (!OpenNextCursor()) have_input_ = false;
  }
}

}  // namespace kg::query::exec
