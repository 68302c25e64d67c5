"""Build hook: ship the top-level sample_data/ and templates_docx/ inside the wheel.

The design card keeps these folders at the top of the repository, where secretaries and
developers find them; a non-editable install must still carry them, so they are copied
into ``exploc_cli/_bundled/`` at build time. ``exploc_cli.resources`` finds them in either place.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

BUNDLED = ("sample_data", "templates_docx")


class BuildWithBundledResources(build_py):
    def run(self) -> None:
        super().run()
        root = Path(__file__).resolve().parent
        for name in BUNDLED:
            source = root / name
            target = Path(self.build_lib) / "exploc_cli" / "_bundled" / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(
                source,
                target,
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "~$*", ".~lock*"),
            )


setup(cmdclass={"build_py": BuildWithBundledResources})
