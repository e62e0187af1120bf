"""`cmake --install` of this build gives a package another project uses with find_package(ionode).

Installs the build into a temporary prefix, configures and builds tests/install/consumer against it
(nothing from the build tree on its paths), runs it, and checks that it simulates what the build's own
`ionode run` simulates, and that the tuning flag -march=native stays private to ionode::kernel_tuning.
"""

import json
from pathlib import Path

import numpy as np

from conftest import BUILD, IONODE_BIN, SOURCE, run


def test_consumer_builds_against_the_installed_package(tmp_path):
    prefix = tmp_path / "prefix"
    run(["cmake", "--install", BUILD, "--prefix", prefix])
    assert (prefix / "bin" / "ionode").is_file()
    assert (prefix / "include" / "ionode" / "ionode.hpp").is_file()
    assert (prefix / "lib" / "cmake" / "ionode" / "ionodeConfig.cmake").is_file()

    consumer = tmp_path / "consumer"
    run(["cmake", "-S", SOURCE / "tests" / "install" / "consumer", "-B", consumer, "-DCMAKE_BUILD_TYPE=Release",
         f"-DCMAKE_PREFIX_PATH={prefix}", "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON",
         f"-DIONODE_EXAMPLE_MODEL_DIR={SOURCE / 'examples' / 'connor_stevens'}"])
    run(["cmake", "--build", consumer, "-j2"])

    # The installed ionode simulates the seed's HH example as this build's command line does.
    words = run([consumer / "consumer"]).stdout.split()
    assert words[0] == "spikes"
    run([IONODE_BIN, "run", "-q", "-o", tmp_path / "cli.npz"], cwd=tmp_path)
    cli = np.load(tmp_path / "cli.npz")
    assert int(words[1]) == len(cli["spike_times"]) > 0
    assert float(words[3]) == cli["spike_times"][0]  # bitwise: one library, printed with 17 digits

    assert int(run([consumer / "consumer_model"]).stdout.split()[1]) > 0

    # Tuning flags stay private: the plain consumer is compiled without -march=native; the one that
    # links ionode::kernel_tuning gets it exactly when the library was built with it.
    commands = {Path(c["file"]).name: c["command"] for c in json.loads((consumer / "compile_commands.json").read_text())}
    assert "-march=native" not in commands["consumer.cpp"]
    cache = (BUILD / "CMakeCache.txt").read_text()
    native = "IONODE_NATIVE:BOOL=ON" in cache
    assert ("-march=native" in commands["consumer_model.cpp"]) == native
