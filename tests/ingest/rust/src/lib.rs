use std::collections::HashMap;
//                    ^ reference.import std.collections.HashMap
use crate::de::{Visitor, Error as DeError};
//              ^ reference.import crate.de.Visitor
//                       ^ reference.import crate.de.Error

/// A point in the plane.
/// Two coordinates.
#[derive(Debug)]
pub struct Point<T> {
//         ^ definition.struct Point
//         ^ doc A point in the plane.
    pub x: T,
//      ^ definition.field Point.x
    y: i32,
//  ^ definition.field Point.y
}

/// Something with an area.
pub trait Shape: Clone {
//        ^ definition.trait Shape
//        ^ doc Something with an area.
//               ^ reference.base Clone
    fn area(&self) -> f64;
//     ^ definition.method Shape.area
    fn name(&self) -> String {
//     ^ definition.method Shape.name
        String::new()
//      ^ reference.call String::new
    }
}

impl<T> Point<T> {
    pub fn new(x: T, y: i32) -> Self {
//         ^ definition.method Point.new
        Point { x, y }
    }

    fn norm(&self) -> i32 {
//     ^ definition.method Point.norm
        self.y.abs()
//      ^ reference.call self.y.abs
    }
}

mod inner {
    pub static COUNT: usize = 3;
//             ^ definition.variable inner.COUNT
    pub fn helper() {}
//         ^ definition.function inner.helper
}

const MAX: u32 = 10;
//    ^ definition.variable MAX

pub enum Either {
//       ^ definition.enum Either
    Left,
    Right(u8),
}
