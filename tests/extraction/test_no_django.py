"""The extraction package is plain Python: importing any of its modules must not load Django."""
import subprocess
import sys
from pathlib import Path

import quotes.extraction

PACKAGE = Path(quotes.extraction.__file__).parent
ROOT = PACKAGE.parent.parent

# Refuses any import of django, then imports every module and checks nothing slipped through.
CHECK = """
import importlib, sys

class RefuseDjango:
    def find_spec(self, name, path=None, target=None):
        if name == "django" or name.startswith("django."):
            raise ImportError(f"quotes.extraction must not import {name}")
        return None

sys.meta_path.insert(0, RefuseDjango())
for name in sys.argv[1:]:
    importlib.import_module(name)
loaded = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
assert not loaded, loaded
print("imported", len(sys.argv) - 1, "modules without django")
"""


def test_no_module_imports_django():
    modules = ["quotes.extraction"] + [f"quotes.extraction.{p.stem}" for p in sorted(PACKAGE.glob("*.py"))
                                       if p.stem != "__init__"]
    assert len(modules) > 10
    run = subprocess.run([sys.executable, "-c", CHECK, *modules], cwd=ROOT, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    assert f"imported {len(modules)} modules" in run.stdout
