import Base, { helper, format as fmt } from './base.js';
// <- reference.import lib.base
// <- reference.import lib.base.helper
// <- reference.import lib.base.format
import * as util from '../util';
// <- reference.import util
const path = require('path');
//    ^ definition.variable path
// <- reference.import path
const { readFile } = require('fs');
// <- reference.import fs.readFile
//      ^ definition.variable readFile

export const TIMEOUT = 30;
//           ^ definition.variable TIMEOUT

/**
 * A shop.
 * @extends Base
 */
export class Shop extends Base {
//           ^ definition.class Shop
//           ^ doc A shop.
//                        ^ reference.base Base
  items = [];
//^ definition.field Shop.items
  static #count = 0;
//       ^ definition.field Shop.#count

  /** Adds an item. */
  add(item) {
//^ definition.method Shop.add
//^ doc Adds an item.
    this.items.push(fmt(item));
//  ^ reference.call this.items.push
//                  ^ reference.call fmt
    return this.total();
//         ^ reference.call this.total
  }

  get total() {
//    ^ definition.method Shop.total
    return helper(this.items);
//         ^ reference.call helper
  }
}

// Creates a shop.
// Second line.
function makeShop() {
//       ^ definition.function makeShop
//       ^ doc Creates a shop.
  const local = new Shop();
//                  ^ reference.call Shop
  return local;
}

export const slug = async (name) => util.slugify(name);
//           ^ definition.function slug
//                                  ^ reference.call util.slugify

function* ids() {}
//        ^ definition.function ids

const { floor, max: largest } = Math;
//      ^ definition.variable floor
//                  ^ definition.variable largest
