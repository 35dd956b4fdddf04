import { Circle } from './shapes';
// <- reference.import src.shapes.Circle

export function View(props: { c: Circle }) {
//              ^ definition.function View
  return <div>{render(props.c)}</div>;
//             ^ reference.call render
}

function render(c: Circle) {
//       ^ definition.function render
  return c.area();
//       ^ reference.call c.area
}
