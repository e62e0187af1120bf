#!/usr/bin/env bash
# One command for a fresh Debian 12 machine: install every dependency from Debian's packages, then build.
# Usage: bash scripts/setup.sh        (run as root, or with sudo available)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config git
  libcli11-dev libtomlplusplus-dev libfmt-dev libzip-dev libhdf5-dev nlohmann-json3-dev librandom123-dev libxsimd-dev
  libeigen3-dev  # the analysis: linear algebra and eigenvalues
  libopenmpi-dev openmpi-bin  # networks over MPI ranks (mpirun -np P ionode run NET.toml)
  libsundials-dev  # method = "cvode" (SUNDIALS CVODE)
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-numpy python3-pytest
  python3-matplotlib python3-h5py  # ionode plot (.npz and .h5 results)
  pybind11-dev python3-dev         # the Python module (docs/python.md)
  python3-venv python3-pip python3-setuptools python3-wheel  # `pip install .` (docs/install.md)
)
sudo_cmd=""
[ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  $sudo_cmd apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j "$(nproc)"

# `ionode` on PATH: a link to build/ionode in /usr/local/bin (a rebuild is seen at once, as with the
# .pth file below); `cmake --install build` installs a copy instead (docs/install.md).
bin_dir=/usr/local/bin
$sudo_cmd mkdir -p "$bin_dir"
$sudo_cmd ln -sfn "$(pwd)/build/ionode" "$bin_dir/ionode"
echo "ionode: $bin_dir/ionode -> $(pwd)/build/ionode"

# Debian's python3 imports ionode from any folder: a .pth file in its site folder names build/python,
# where the build puts the package, so a rebuild is seen at once (docs/python.md).
if [ -d build/python/ionode ]; then
  site_dir="$(/usr/bin/python3 -c 'import site; print(site.getsitepackages()[0])')"
  $sudo_cmd mkdir -p "$site_dir"
  echo "$(pwd)/build/python" | $sudo_cmd tee "$site_dir/ionode.pth" >/dev/null
  echo "ionode: /usr/bin/python3 imports it through $site_dir/ionode.pth"
fi
