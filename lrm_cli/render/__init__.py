"""Output: the only package that uses rich. One Output object is chosen per run."""

from lrm_cli.render.output import Output

__all__ = ["Output"]
