"""Open edX XBlocks of the OM-Lotse qualification (install with the `xblock` extra).

- `lotse_module` (LotseModuleBlock): a Q1 module from content/q1 with its lessons and
  knowledge check, rendered from the same Markdown as the SCORM packages.
- `lotse_reflection` (LotseReflectionBlock): a reflection prompt with a saved text answer.

Registered through the `xblock.v1` entry point. Nothing outside this package imports XBlock,
and this package does not import Flask.
"""

from .module_block import LotseModuleBlock
from .reflection_block import LotseReflectionBlock

__all__ = ["LotseModuleBlock", "LotseReflectionBlock"]
