import { Base, type Options } from './base';
// <- reference.import src.base.Base
// <- reference.import src.base.Options

/** Something with an area. */
export interface Shape extends Named {
//               ^ definition.interface Shape
//               ^ doc Something with an area.
//                             ^ reference.base Named
  area(): number;
//^ definition.method Shape.area
  area(unit: string): number;
  new (name: string): Shape;
//^ definition.method Shape.new
  readonly name: string;
//         ^ definition.field Shape.name
}

export enum Color { Red, Green }
//          ^ definition.enum Color

export type Point = { x: number };

export abstract class Circle extends Base implements Shape, Comparable<Circle> {
//                    ^ definition.class Circle
//                                   ^ reference.base Base
//                                                   ^ reference.implements Shape
//                                                          ^ reference.implements Comparable<Circle>
  radius: number = 1;
//^ definition.field Circle.radius
  name = "circle";
//^ definition.field Circle.name

  constructor(private readonly opts: Options) {
//^ definition.method Circle.constructor
//                             ^ definition.field Circle.opts
    super();
  }

  area(): number {
//^ definition.method Circle.area
    return Math.PI * this.square(this.radius);
//                   ^ reference.call this.square
  }

  abstract square(x: number): number;
//         ^ definition.method Circle.square

  grow(k: number): Circle;
//^ definition.method Circle.grow
  grow(k: string): Circle;
  grow(k: number | string): Circle {
    return this.scaled(k);
//         ^ reference.call this.scaled
  }
}

export function scale(s: Shape, k: number): Shape;
//              ^ definition.function scale
export function scale(s: Shape): Shape;
export function scale(s: Shape, k = 2): Shape {
  return s;
}

export function twice(s: Shape): Shape;
//              ^ definition.function twice
export function other(s: Shape): Shape {
//              ^ definition.function other
  return s;
}

namespace geometry.util {
  export function clamp(v: number): number {
//                ^ definition.function geometry.util.clamp
    return v;
  }
}

export const unit = (c: Circle) => new Circle(c.opts);
//           ^ definition.function unit
//                                     ^ reference.call Circle

declare const marker: unique symbol;
//            ^ definition.variable marker
const { PI } = Math;
//      ^ definition.variable PI
