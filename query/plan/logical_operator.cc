#include "query/plan/logical_operator.h"

#include "query/plan/logical_optional.h"

namespace kg::query::plan {
namespace {

std::string Join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
  return out;
}

std::string Quote(const std::string& s) { return Value(s).DebugString(); }

}  // namespace

std::string LogicalNodeScan::Describe() const {
  std::string out = "NodeScan (" + variable;
  if (!label_names.empty()) out += ":" + Join(label_names, "|");
  out += ")";
  switch (mode) {
    case Mode::kEmpty:
      return out + " empty (unknown label)";
    case Mode::kAll:
      out += " all nodes";
      break;
    case Mode::kLabel:
      out += " by label";
      break;
    case Mode::kQualifiedName:
    case Mode::kQualifiedNameSuffix:
    case Mode::kNamePrefix:
    case Mode::kPathPrefix:
    case Mode::kAtLine:
    case Mode::kNameTrigrams:
    case Mode::kPathLabel: {
      static const char* const kWhat[] = {
          "qualified_name index =",        "qualified_name suffix index ENDS WITH",
          "name prefix index STARTS WITH", "path prefix index STARTS WITH",
          "at-line index path =",          "name trigram index CONTAINS",
          "path+label index path ="};
      const int i = static_cast<int>(mode) - static_cast<int>(Mode::kQualifiedName);
      std::vector<std::string> quoted;
      for (const auto& n : names) quoted.push_back(Quote(n));
      out += std::string(" by ") + kWhat[i] + " " + Join(quoted, ", ");
      if (mode == Mode::kNamePrefix && case_insensitive) out += " (case-insensitive)";
      if (mode == Mode::kAtLine) out += " line " + std::to_string(line);
      break;
    }
    case Mode::kById: {
      std::vector<std::string> quoted;
      for (const auto& n : names) quoted.push_back(Quote(n));
      out += " by id in [" + Join(quoted, ", ") + "]";
      break;
    }
    case Mode::kLabelName: {
      std::vector<std::string> quoted;
      for (const auto& n : names) quoted.push_back(Quote(n));
      out += std::string(" by label+name") + (case_insensitive ? " (case-insensitive)" : "") +
             " name in [" + Join(quoted, ", ") + "]";
      break;
    }
  }
  return out + " ~" + std::to_string(estimated_rows) + " rows";
}

std::string LogicalExpand::Describe() const {
  std::string detail = rel_name;
  if (!any_type) detail += ":" + (type_names.empty() ? "<unknown type>" : Join(type_names, "|"));
  if (var_length) detail += "*" + std::to_string(min_hops) + ".." + std::to_string(max_hops);
  std::string left = "-[", right = "]-";
  if (direction == storage::Direction::kOut) right = "]->";
  if (direction == storage::Direction::kIn) left = "<-[";
  std::string out = std::string(to_bound ? "ExpandInto" : "Expand") + " (" + from_name + ")" +
                    left + detail + right + "(" + to_name + ")";
  if (rel_properties != nullptr && !rel_properties->empty()) {
    std::vector<std::string> props;
    for (const auto& [key, value] : *rel_properties) props.push_back(key + ": " + value->text);
    out += " {" + Join(props, ", ") + "}";
  }
  if (frontier) out += " (each node once)";
  return out;
}

std::string LogicalFilter::Describe() const {
  std::vector<std::string> parts;
  for (const auto* p : predicates) parts.push_back(p->text);
  return "Filter " + Join(parts, " AND ");
}

std::string LogicalProject::Describe() const {
  std::vector<std::string> parts;
  for (const auto& item : items) parts.push_back(item.expr->text + " AS " + item.name);
  return "Project " + Join(parts, ", ");
}

std::string LogicalAggregate::Describe() const {
  std::vector<std::string> aggs;
  for (const auto* a : aggregates) aggs.push_back(a->text);
  return "Aggregate [" + Join(aggs, ", ") + "] group by [" + Join(key_names, ", ") + "]";
}

std::string LogicalDistinct::Describe() const { return "Distinct [" + Join(names, ", ") + "]"; }

std::string LogicalSort::Describe() const {
  std::vector<std::string> parts;
  for (const auto* k : keys) parts.push_back(k->expr->text + (k->descending ? " DESC" : " ASC"));
  return "Sort " + Join(parts, ", ");
}

std::string LogicalOptional::Describe() const {
  return "Optional [" + Join(new_variables, ", ") + "]";
}

namespace {

void Render(const LogicalOperator* op, std::string indent, std::string* out) {
  for (; op != nullptr; op = op->child.get()) {
    *out += indent + op->Describe() + "\n";
    if (op->type == LogicalOperatorType::kOptional) {
      Render(static_cast<const LogicalOptional*>(op)->inner.get(), indent + "  | ", out);
    }
    indent += "  ";
  }
}

}  // namespace

std::string LogicalPlan::ToString() const {
  std::string out;
  Render(root.get(), "", &out);
  return out;
}

}  // namespace kg::query::plan
