"""Annotated source: every definition the Python extractor must report.

An annotation line `#   ^ Label qualified.path` asserts that the line above it starts a
definition with that label and qualified path, whose name begins at the caret's column.
Every definition in this file is annotated, so unexpected definitions fail the test too.
"""

import abc


class Shape(abc.ABC):
#     ^ Class Shape
    """A shape."""

    @abc.abstractmethod
    def area(self) -> float:
#       ^ Method Shape.area
        ...

    class Unit:
#         ^ Class Shape.Unit
        def convert(self, value):
#           ^ Method Shape.Unit.convert
            def helper(x):
#               ^ Function Shape.Unit.convert.helper
                return x

            return helper(value)


def make_shape(kind: str = "circle", *args, **kwargs) -> Shape:
#   ^ Function make_shape
    class Local(Shape):
#         ^ Class make_shape.Local
        def area(self):
#           ^ Method make_shape.Local.area
            return 0.0

    return Local()


async def fetch_all(urls):
#         ^ Function fetch_all
    async def one(url):
#             ^ Function fetch_all.one
        return url

    return [await one(u) for u in urls]


class Registry:
#     ^ Class Registry
    if abc:
        def register(self):
#           ^ Method Registry.register
            pass
    else:
        def register(self):
#           ^ Method Registry.register
            pass

    @staticmethod
    @functools.lru_cache(maxsize=None)
    def default():
#       ^ Method Registry.default
        return Registry()


try:
    def fast(): ...
#       ^ Function fast
except ImportError:
    def fast(): ...
#       ^ Function fast

lambda_is_not_a_definition = lambda x: x
