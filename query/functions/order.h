#pragma once
// Cypher's global sort order over values, used by ORDER BY and by min()/max().
//
// Ascending: maps < nodes < relationships < lists < strings < booleans < numbers < NaN < null
// (openCypher "orderability"). Nodes and relationships are recognised by their query maps
// (query/engine.h: {"_id", "_labels", ...} and {"_type", "_src", "_dst", ...}) and ordered by
// id. Within a type: numbers numerically (int and float as one type), strings by bytes, false
// < true, lists element by element (a prefix first), maps by Value::Compare.
// Thread-safety: pure function.

#include "common/value.h"

namespace kg::query::functions {

// <0, 0 or >0 as `a` sorts before, with, or after `b`.
int OrderCompare(const Value& a, const Value& b);

}  // namespace kg::query::functions
