# shellcheck shell=bash
# Sourced by scripts/demo and scripts/test: installs the Debian packages portloop's build needs,
# and only those that are missing. Written for Debian 12 (bookworm).

# What a fresh Debian 12 machine lacks to configure, build and test every preset.
PORTLOOP_PACKAGES=(
  cmake              # >= 3.25, for presets
  ninja-build        # the presets' generator
  clang              # clang 14, the presets' compiler
  libclang-rt-14-dev # sanitizer runtimes for the asan and tsan presets
  libstdc++-12-dev   # the C++20 standard library clang uses
  googletest         # GoogleTest sources, built with each preset's sanitizer flags
  libgtest-dev
  libgmock-dev
  pkg-config         # the install test's pkg-config client
)

# Installs every package of PORTLOOP_PACKAGES that is not installed yet, with sudo unless running
# as root. Does nothing, and needs no network, when all of them are present.
portloop_ensure_packages() {
  local pkg missing=()
  if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
    echo "portloop: this script needs a Debian-like system (dpkg-query, apt-get)." >&2
    echo "portloop: install these packages by hand: ${PORTLOOP_PACKAGES[*]}" >&2
    return 1
  fi
  for pkg in "${PORTLOOP_PACKAGES[@]}"; do
    if [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" != "install ok installed" ]]; then
      missing+=("$pkg")
    fi
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi

  local as_root=()
  if ((EUID != 0)); then
    if ! command -v sudo >/dev/null; then
      echo "portloop: missing packages (${missing[*]}) and no sudo; install them as root." >&2
      return 1
    fi
    as_root=(sudo)
  fi
  echo "portloop: installing missing packages: ${missing[*]}"
  "${as_root[@]}" apt-get update
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"
}
