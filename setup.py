"""Builds the extension ionode._ionode with CMake (the only thing setuptools cannot do alone).

pyproject.toml holds the metadata; this file only says how the extension is built: configure this
repository with CMake in setuptools' build folder (tests, examples and benchmarks off; the Python that
runs pip as the module's Python), build the target ionode_python, and copy the module into the wheel.
Environment: CMAKE_BUILD_PARALLEL_LEVEL (jobs; default the machine's cores), IONODE_CMAKE_ARGS (more
-D options, e.g. -DIONODE_NATIVE=OFF for a portable build).
"""

import os
import shlex
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
(ROOT / "build-pip").mkdir(exist_ok=True)  # egg_info's folder must exist before setuptools looks


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build_dir = Path(self.build_temp).resolve() / "cmake"
        configure = [
            "cmake", "-S", str(ROOT), "-B", str(build_dir), "-DCMAKE_BUILD_TYPE=Release",
            "-DIONODE_BUILD_TESTS=OFF", "-DIONODE_BUILD_EXAMPLES=OFF", "-DIONODE_BUILD_BENCH=OFF",
            "-DIONODE_BUILD_PYTHON=ON", f"-DIONODE_PYTHON={sys.executable}",
            *shlex.split(os.environ.get("IONODE_CMAKE_ARGS", "")),
        ]
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 1))
        subprocess.run(configure, check=True)
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "ionode_python", "-j", jobs], check=True)
        built = list((build_dir / "python" / "ionode").glob("_ionode*.so"))
        if len(built) != 1:
            raise RuntimeError(f"expected one _ionode*.so in {build_dir / 'python' / 'ionode'}, found {built}")
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        self.copy_file(str(built[0]), str(target))
        # The analysis figures' drawing, which CMake copies from src/cli/plot_analysis.py (bp.analysis uses it).
        self.copy_file(str(build_dir / "python" / "ionode" / "_plot_analysis.py"), str(target.parent))


setup(
    packages=["ionode"],
    package_dir={"": "python"},
    ext_modules=[Extension("ionode._ionode", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    # setuptools' own build folder inside CMake's usual one would mix the two: keep it apart.
    options={"build": {"build_base": "build-pip"}, "egg_info": {"egg_base": "build-pip"}},
    zip_safe=False,
)
