"""Annotated source: every definition the Python extractor must report.

An annotation line `#   ^ definition.<kind> qualified.path` asserts that the line above it
names a definition of that kind (or label) and qualified path, whose name begins at the
caret's column (format: tests/ingest/README.md). Every definition in this file is annotated,
so unexpected definitions fail the test too.
"""

import abc


class Shape(abc.ABC):
#     ^ definition.class Shape
    """A shape."""

    @abc.abstractmethod
    def area(self) -> float:
#       ^ definition.method Shape.area
        ...

    class Unit:
#         ^ definition.class Shape.Unit
        def convert(self, value):
#           ^ definition.method Shape.Unit.convert
            def helper(x):
#               ^ definition.function Shape.Unit.convert.helper
                return x

            return helper(value)


def make_shape(kind: str = "circle", *args, **kwargs) -> Shape:
#   ^ definition.function make_shape
    class Local(Shape):
#         ^ definition.class make_shape.Local
        def area(self):
#           ^ definition.method make_shape.Local.area
            return 0.0

    return Local()


async def fetch_all(urls):
#         ^ definition.function fetch_all
    async def one(url):
#             ^ definition.function fetch_all.one
        return url

    return [await one(u) for u in urls]


class Registry:
#     ^ definition.class Registry
    if abc:
        def register(self):
#           ^ definition.method Registry.register
            pass
    else:
        def register(self):
#           ^ definition.method Registry.register
            pass

    @staticmethod
    @functools.lru_cache(maxsize=None)
    def default():
#       ^ definition.method Registry.default
        return Registry()


try:
    def fast(): ...
#       ^ definition.function fast
except ImportError:
    def fast(): ...
#       ^ definition.function fast

lambda_is_not_a_definition = lambda x: x
# <- definition.variable lambda_is_not_a_definition
