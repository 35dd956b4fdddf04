// GET /v1/graphs/{graph}/nodes/{id} and GET /v1/graphs/{graph}/nodes/{id}/tree.
//
// The query engine has no lookup by node id and no bounded tree walk, so these read one
// storage::Snapshot directly (FindNode, GetNode, Expand, GetFileText).
#include <deque>
#include <map>
#include <set>

#include "server/code_view.h"
#include "server/context.h"
#include "server/handlers/handlers.h"
#include "server/handlers/util.h"
#include "server/json_codec.h"

namespace kg::server::handlers {

namespace {

constexpr int64_t kDefaultMaxCodeLines = 80;
constexpr int64_t kMaxDepth = 5;
constexpr int64_t kDefaultMaxNodes = 100;
constexpr int64_t kMaxMaxNodes = 2000;

// Finds node `id` in a fresh snapshot of `graph`. NotFound naming the id when absent.
Result<std::pair<std::unique_ptr<storage::Snapshot>, storage::NodeRecord>> LoadNode(
    ServerContext& context, const std::string& graph, const std::string& id) {
  KG_RETURN_IF_ERROR(RequireGraph(context, graph).status());
  KG_ASSIGN_OR_RETURN(auto snapshot, context.store().GetSnapshot(graph));
  KG_ASSIGN_OR_RETURN(std::optional<storage::NodeKey> key, snapshot->FindNode(id));
  if (!key) {
    return Status::NotFound("node '" + id + "' does not exist in graph '" + graph +
                            "' (ids look like 'path/file.py:Qualified.Name'; percent-encode "
                            "them in URLs; GET /v1/graphs/" +
                            graph + "/search?q= finds them)");
  }
  KG_ASSIGN_OR_RETURN(std::optional<storage::NodeRecord> node, snapshot->GetNode(*key));
  if (!node) return Status::NotFound("node '" + id + "' vanished from graph '" + graph + "'");
  return std::pair{std::move(snapshot), std::move(*node)};
}

Result<Json> LabelsJson(ServerContext& context, const storage::NodeRecord& node) {
  Json labels = Json::array();
  for (storage::LabelId l : node.labels) {
    KG_ASSIGN_OR_RETURN(std::string name, context.store().LabelNameOf(l));
    labels.push_back(std::move(name));
  }
  return labels;
}

std::string FirstLabel(const Json& labels) {
  return labels.empty() ? std::string() : labels[0].get<std::string>();
}

const Value* Prop(const storage::NodeRecord& node, std::string_view name) {
  auto it = node.props.find(name);
  return it == node.props.end() ? nullptr : &it->second;
}

// Counts of edges by type name in one direction.
Result<Json> EdgeCounts(ServerContext& context, storage::Snapshot& snapshot, storage::NodeKey key,
                        storage::Direction dir) {
  std::map<std::string, uint64_t> counts;
  std::map<storage::EdgeTypeId, std::string> names;
  auto cursor = snapshot.Expand(key, dir);
  storage::EdgeRecord edge;
  while (cursor->Next(&edge)) {
    auto it = names.find(edge.type);
    if (it == names.end()) {
      KG_ASSIGN_OR_RETURN(std::string name, context.store().EdgeTypeNameOf(edge.type));
      it = names.emplace(edge.type, std::move(name)).first;
    }
    ++counts[it->second];
  }
  KG_RETURN_IF_ERROR(cursor->status());
  Json out = Json::object();
  for (const auto& [name, n] : counts) out[name] = n;
  return out;
}

}  // namespace

Result<ApiResponse> GetNode(ServerContext& context, const ApiRequest& request) {
  const std::string& graph = request.PathParam("graph");
  const std::string& id = request.PathParam("id");
  KG_RETURN_IF_ERROR(CheckQueryParams(request, {"max_lines"}));
  KG_ASSIGN_OR_RETURN(int64_t max_lines,
                      IntQueryParam(request, "max_lines", kDefaultMaxCodeLines, 2, 100000));
  KG_ASSIGN_OR_RETURN(auto loaded, LoadNode(context, graph, id));
  auto& [snapshot, node] = loaded;

  Json out = Json::object();
  out["id"] = node.id;
  KG_ASSIGN_OR_RETURN(out["labels"], LabelsJson(context, node));
  Json props = Json::object();
  for (const auto& [k, v] : node.props) props[k] = ValueToJson(v);
  out["properties"] = std::move(props);

  // Code: the node's byte range of its file's stored text, line-numbered from start_line.
  out["code"] = nullptr;
  const Value* path = Prop(node, "path");
  const Value* start_byte = Prop(node, "start_byte");
  const Value* end_byte = Prop(node, "end_byte");
  if (path && path->is_string() && start_byte && start_byte->is_int() && end_byte &&
      end_byte->is_int()) {
    auto text = snapshot->GetFileText(path->as_string());
    if (text.ok()) {
      int64_t b = start_byte->as_int(), e = end_byte->as_int();
      int64_t size = static_cast<int64_t>(text->size());
      if (b >= 0 && b <= e && e <= size) {
        // Whole lines: start at the beginning of the first line (keeps the indentation).
        while (b > 0 && (*text)[b - 1] != '\n') --b;
        const Value* start_line = Prop(node, "start_line");
        int64_t first = start_line && start_line->is_int() ? start_line->as_int() : 1;
        CodeView view = RenderCode(std::string_view(*text).substr(b, e - b), first,
                                   static_cast<size_t>(max_lines));
        out["code"] = view.text;
        out["code_lines"] = view.lines;
        out["folded_lines"] = view.folded;
      }
    } else if (!text.status().IsNotFound()) {
      return text.status();
    }
  }
  Json edges = Json::object();
  KG_ASSIGN_OR_RETURN(edges["out"],
                      EdgeCounts(context, *snapshot, node.key, storage::Direction::kOut));
  KG_ASSIGN_OR_RETURN(edges["in"],
                      EdgeCounts(context, *snapshot, node.key, storage::Direction::kIn));
  out["edges"] = std::move(edges);
  return ApiResponse::FromJson(Json{{"node", out}});
}

namespace {

struct TreeNode {
  storage::NodeKey key = 0;
  std::string id, label, name;
  std::string edge;       // type of the edge from the parent; "" for the root
  bool incoming = false;  // the edge points from this node to the parent
  bool seen = false;      // already shown elsewhere in the tree: not expanded again
  int depth = 0;
  std::vector<size_t> children;
};

Json TreeJson(const std::vector<TreeNode>& nodes, size_t i) {
  const TreeNode& n = nodes[i];
  Json j = Json::object();
  if (!n.edge.empty()) {
    j["edge"] = n.edge;
    j["direction"] = n.incoming ? "in" : "out";
  }
  j["id"] = n.id;
  j["label"] = n.label;
  j["name"] = n.name;
  if (n.seen) j["seen"] = true;
  Json children = Json::array();
  for (size_t c : n.children) children.push_back(TreeJson(nodes, c));
  j["children"] = std::move(children);
  return j;
}

void TreeText(const std::vector<TreeNode>& nodes, size_t i, std::string* out) {
  const TreeNode& n = nodes[i];
  out->append(static_cast<size_t>(n.depth) * 2, ' ');
  if (!n.edge.empty()) *out += n.incoming ? "<-[" + n.edge + "]- " : "-[" + n.edge + "]-> ";
  *out += n.id + " (" + n.label + ")";
  if (n.seen) *out += " [seen above]";
  *out += '\n';
  for (size_t c : n.children) TreeText(nodes, c, out);
}

}  // namespace

Result<ApiResponse> NodeTree(ServerContext& context, const ApiRequest& request) {
  const std::string& graph = request.PathParam("graph");
  const std::string& id = request.PathParam("id");
  KG_RETURN_IF_ERROR(
      CheckQueryParams(request, {"depth", "direction", "types", "format", "max_nodes"}));
  KG_ASSIGN_OR_RETURN(int64_t depth, IntQueryParam(request, "depth", 2, 1, kMaxDepth));
  KG_ASSIGN_OR_RETURN(int64_t max_nodes,
                      IntQueryParam(request, "max_nodes", kDefaultMaxNodes, 1, kMaxMaxNodes));
  std::string direction = QueryParam(request, "direction").value_or("out");
  if (direction != "out" && direction != "in" && direction != "both") {
    return Status::InvalidArgument("query parameter 'direction' must be out, in or both, got '" +
                                   direction + "'");
  }
  std::string format = QueryParam(request, "format").value_or("json");
  if (format != "json" && format != "text") {
    return Status::InvalidArgument("query parameter 'format' must be json or text, got '" + format +
                                   "'");
  }
  KG_ASSIGN_OR_RETURN(auto loaded, LoadNode(context, graph, id));
  auto& [snapshot, root] = loaded;

  // Edge types: names resolve case-insensitively with aliases; unknown ones are warned about.
  Json warnings = Json::array();
  std::set<storage::EdgeTypeId> types;
  bool filter = false;
  if (auto list = QueryParam(request, "types"); list && !list->empty()) {
    filter = true;
    size_t start = 0;
    while (start <= list->size()) {
      size_t comma = list->find(',', start);
      if (comma == std::string::npos) comma = list->size();
      std::string name = list->substr(start, comma - start);
      start = comma + 1;
      if (name.empty()) continue;
      auto type = context.store().EdgeTypeIdFor(name);
      if (type.ok()) {
        types.insert(*type);
      } else if (type.status().IsNotFound()) {
        warnings.push_back("unknown edge type '" + name + "'; it matches nothing");
      } else {
        return type.status();
      }
    }
  }

  std::vector<TreeNode> nodes;
  KG_ASSIGN_OR_RETURN(Json root_labels, LabelsJson(context, root));
  TreeNode r;
  r.key = root.key;
  r.id = root.id;
  r.label = FirstLabel(root_labels);
  if (const Value* n = Prop(root, "name"); n && n->is_string()) r.name = n->as_string();
  nodes.push_back(std::move(r));
  std::set<storage::NodeKey> expanded = {root.key};
  std::deque<size_t> queue = {0};
  bool truncated = false;
  std::map<storage::EdgeTypeId, std::string> type_names;
  std::vector<storage::Direction> dirs;
  if (direction != "in") dirs.push_back(storage::Direction::kOut);
  if (direction != "out") dirs.push_back(storage::Direction::kIn);

  while (!queue.empty() && !truncated) {
    size_t parent = queue.front();
    queue.pop_front();
    if (nodes[parent].depth >= depth || nodes[parent].seen) continue;
    for (storage::Direction dir : dirs) {
      if (truncated) break;
      if (filter && types.empty()) break;
      auto cursor = snapshot->Expand(nodes[parent].key, dir);
      storage::EdgeRecord edge;
      while (cursor->Next(&edge)) {
        if (filter && types.count(edge.type) == 0) continue;
        if (static_cast<int64_t>(nodes.size()) >= max_nodes) {
          truncated = true;
          break;
        }
        bool incoming = dir == storage::Direction::kIn;
        storage::NodeKey other = incoming ? edge.src : edge.dst;
        KG_ASSIGN_OR_RETURN(std::optional<storage::NodeRecord> rec, snapshot->GetNode(other));
        if (!rec) continue;
        auto tn = type_names.find(edge.type);
        if (tn == type_names.end()) {
          KG_ASSIGN_OR_RETURN(std::string name, context.store().EdgeTypeNameOf(edge.type));
          tn = type_names.emplace(edge.type, std::move(name)).first;
        }
        TreeNode child;
        child.key = other;
        child.id = rec->id;
        KG_ASSIGN_OR_RETURN(Json labels, LabelsJson(context, *rec));
        child.label = FirstLabel(labels);
        if (const Value* n = Prop(*rec, "name"); n && n->is_string()) child.name = n->as_string();
        child.edge = tn->second;
        child.incoming = incoming;
        child.depth = nodes[parent].depth + 1;
        child.seen = !expanded.insert(other).second;
        nodes.push_back(std::move(child));
        nodes[parent].children.push_back(nodes.size() - 1);
        queue.push_back(nodes.size() - 1);
      }
      KG_RETURN_IF_ERROR(cursor->status());
    }
  }

  std::string note;
  if (truncated) {
    note = "tree truncated at max_nodes=" + std::to_string(max_nodes) +
           " nodes (breadth-first); raise max_nodes (up to " + std::to_string(kMaxMaxNodes) +
           "), lower depth or filter types";
  }
  if (format == "text") {
    std::string text;
    TreeText(nodes, 0, &text);
    for (const auto& w : warnings) text += "warning: " + w.get<std::string>() + "\n";
    if (truncated) text += "truncated: " + note + "\n";
    ApiResponse response;
    response.content_type = "text/plain; charset=utf-8";
    response.body = std::move(text);
    return response;
  }
  Json out = Json::object();
  out["root"] = TreeJson(nodes, 0);
  out["node_count"] = nodes.size();
  out["depth"] = depth;
  out["direction"] = direction;
  out["truncated"] = truncated;
  if (truncated) out["note"] = note;
  out["warnings"] = std::move(warnings);
  return ApiResponse::FromJson(out);
}

}  // namespace kg::server::handlers
