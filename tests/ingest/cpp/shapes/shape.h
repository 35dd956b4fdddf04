#pragma once
#include "shapes/base.h"
// <- reference.import shapes/base.h
#include <vector>
// <- reference.import vector

namespace geo {
namespace detail {
SHAPES_EXPORT_BEGIN

/// A shape with an area.
class Shape : public Base, private util::Named<Shape> {
//    ^ definition.class geo.detail.Shape
//    ^ doc A shape with an area.
//                   ^ reference.base Base
//                                 ^ reference.base util::Named<Shape>
 public:
  Shape(int sides) : sides_(sides) {}
//^ definition.method geo.detail.Shape.Shape
  int sides() const { return sides_; }
//    ^ definition.method geo.detail.Shape.sides
  double area() const;
  bool operator==(const Shape& o) const { return sides_ == o.sides_; }
//     ^ definition.method geo.detail.Shape.operator==
  explicit operator bool() const { return sides_ > 0; }
//         ^ definition.method geo.detail.Shape.operatorbool
  SHAPE_CONSTEXPR int doubled() const { return 2 * sides_; }
//                    ^ definition.method geo.detail.Shape.doubled
  static int count;
//           ^ definition.field geo.detail.Shape.count
  enum class Kind { kFlat, kSolid };
//           ^ definition.enum geo.detail.Shape.Kind

 private:
  int sides_ = 0, *cache_;
//    ^ definition.field geo.detail.Shape.sides_
//                 ^ definition.field geo.detail.Shape.cache_
};

double Shape::area() const { return helper(sides_) * Scale(); }
//            ^ definition.method geo.detail.Shape.area
//                                  ^ reference.call helper
//                                                   ^ reference.call Scale

Shape::operator int() const { return sides_; }
//     ^ definition.method geo.detail.Shape.operatorint

int total = 3;
//  ^ definition.variable geo.detail.total

}  // namespace detail
}  // namespace geo
