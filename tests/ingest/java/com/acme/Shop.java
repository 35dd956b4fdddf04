package com.acme;
// <- module com.acme.Shop

import java.util.List;
// <- reference.import java.util.List
import com.acme.model.Item;
// <- reference.import com.acme.model.Item
import static java.util.Objects.requireNonNull;
// <- reference.import java.util.Objects.requireNonNull
import com.acme.util.*;
// <- reference.import com.acme.util.*

/**
 * A shop.
 *
 * <p>Sells items.
 */
@Deprecated
public class Shop extends Base implements Runnable, Comparable<Shop> {
//           ^ definition.class Shop
//           ^ doc A shop.
//                        ^ reference.base Base
//                                        ^ reference.implements Runnable
//                                                  ^ reference.implements Comparable<Shop>
  private final List<Item> items;
//                         ^ definition.field Shop.items
  static int count = 0, limit = 10;
//           ^ definition.field Shop.count
//                      ^ definition.field Shop.limit

  /** Makes a shop. */
  public Shop(List<Item> items) {
//       ^ definition.method Shop.Shop
//       ^ doc Makes a shop.
    this.items = requireNonNull(items);
//               ^ reference.call requireNonNull
  }

  @Override
  public void run() {
//            ^ definition.method Shop.run
    helper().go();
//  ^ reference.call helper().go
//  ^ reference.call helper
    Thread t = new Thread(new Runnable() {
//                 ^ reference.call Thread
//                            ^ reference.call Runnable
      public void run() {}
    });
    t.start();
//  ^ reference.call t.start
    this.items.add(new Item());
//  ^ reference.call this.items.add
//                     ^ reference.call Item
  }

  private Helper helper() { return null; }
//               ^ definition.method Shop.helper

  interface Listener {
//          ^ definition.interface Shop.Listener
    void onSale(Item item);
//       ^ definition.method Shop.Listener.onSale
  }

  enum Kind { SMALL, LARGE; int size() { return 0; } }
//     ^ definition.enum Shop.Kind
//                              ^ definition.method Shop.Kind.size

  record Point(int x, int y) {}
//       ^ definition.class Shop.Point
}
