from tests.console.support import console

__all__ = ["console"]
