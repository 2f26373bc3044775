#!/usr/bin/env bash
# Installs a portloop build tree into a scratch prefix, then builds and runs tests/install/main.cc
# against it twice: through find_package(portloop) and through pkg-config. Run by CTest
# (tests/install/install_test.cmake passes the build's settings in PORTLOOP_* variables).
set -euo pipefail

: "${PORTLOOP_BUILD_DIR:?}" "${PORTLOOP_C_COMPILER:?}" "${PORTLOOP_CXX_COMPILER:?}"
generator=${PORTLOOP_GENERATOR:-Ninja}
build_type=${PORTLOOP_BUILD_TYPE:-}
libdir=${PORTLOOP_LIBDIR:-lib}
read -ra client_flags <<<"${PORTLOOP_CLIENT_FLAGS:-}"

client_src=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/portloop-install-test.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
prefix=$scratch/prefix

fail() {
  echo "install_test: FAILED: $*" >&2
  exit 1
}

# Runs a client program and checks that it printed exactly OK.
expect_ok() {
  local output
  output=$("$1") || fail "$1 exited with status $?"
  [[ "$output" == "OK" ]] || fail "$1 printed '$output', expected 'OK'"
  echo "install_test: $2 client printed OK"
}

echo "install_test: installing $PORTLOOP_BUILD_DIR into $prefix"
cmake --install "$PORTLOOP_BUILD_DIR" --prefix "$prefix"

echo "install_test: building the client with find_package(portloop)"
cmake -S "$client_src" -B "$scratch/cmake-client" -G "$generator" \
  -DCMAKE_BUILD_TYPE="$build_type" \
  -DCMAKE_C_COMPILER="$PORTLOOP_C_COMPILER" \
  -DCMAKE_CXX_COMPILER="$PORTLOOP_CXX_COMPILER" \
  -DCMAKE_C_FLAGS="${client_flags[*]}" \
  -DCMAKE_CXX_FLAGS="${client_flags[*]}" \
  -DCMAKE_EXE_LINKER_FLAGS="${client_flags[*]}" \
  -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
cmake --build "$scratch/cmake-client"
found=$(sed -n 's/^portloop_DIR:PATH=//p' "$scratch/cmake-client/CMakeCache.txt")
[[ "$found" == "$prefix"/* ]] || fail "find_package found portloop in '$found', not in $prefix"
expect_ok "$scratch/cmake-client/install_client" "CMake"

echo "install_test: building the client with pkg-config"
export PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
read -ra pc_cflags <<<"$(pkg-config --cflags portloop)"
read -ra pc_libs <<<"$(pkg-config --libs portloop)"
[[ "${pc_cflags[*]}" == *"$prefix"/* ]] || fail "pkg-config found another portloop: ${pc_cflags[*]}"
"$PORTLOOP_CXX_COMPILER" -std=c++20 "${client_flags[@]}" "${pc_cflags[@]}" \
  "$client_src/main.cc" -o "$scratch/pkgconfig-client" "${pc_libs[@]}"
expect_ok "$scratch/pkgconfig-client" "pkg-config"
