"""Which of shixin's modules run compiled, and whether an extension is older than its source.

``python3 tasks.py native`` compiles the hot modules with mypyc into C extensions
beside their sources, and Python then imports the extension, whatever the source
says. The test session refuses stale extensions (``conftest.py``); a server only
says which modules run compiled and warns about any whose source was changed after
it was built, since a running service has no build step to fall back on.
"""

from __future__ import annotations

import sys
import sysconfig
from pathlib import Path

SUFFIX: str = sysconfig.get_config_var("EXT_SUFFIX") or ".so"


def compiled_modules() -> list[str]:
    """The loaded ``shixin`` modules that are C extensions, by name."""
    return sorted(name for name, module in list(sys.modules.items())
                  if name.startswith("shixin.")
                  and (getattr(module, "__file__", None) or "").endswith(SUFFIX))


def stale_extensions() -> list[str]:
    """Loaded compiled modules whose source file was changed after the extension was built."""
    stale = []
    for name in compiled_modules():
        built = Path(sys.modules[name].__file__ or "")
        source = built.with_name(built.name[: -len(SUFFIX)] + ".py")
        try:
            if source.stat().st_mtime > built.stat().st_mtime:
                stale.append(name)
        except OSError:
            continue
    return stale
