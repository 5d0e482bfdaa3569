#!/usr/bin/env bash
# Installs every Debian package needed to build, test and benchmark agentrail.
# Idempotent: packages already present are skipped without touching the network.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libcurl4-openssl-dev   # HTTP transport (OpenSSL flavour)
  nlohmann-json3-dev     # JSON models
  libspdlog-dev libfmt-dev  # CLI logging and formatting
  libcli11-dev           # CLI parsing
  libtomlplusplus-dev    # the CLI's config file: full TOML, errors with line and column, in-place edits
  catch2                 # unit and integration tests (v2)
  libssl-dev             # HMAC-SHA256 for webhook signatures
  libcpp-httplib-dev     # mock server and test servers only
  libjq-dev libonig-dev  # --jq support
  clang-format
  ccache                 # rebuilds of unchanged sources come from the cache
  lintian dpkg-dev       # packaging test: lintian checks the .debs, dpkg-shlibdeps computes Depends
  curl openssl jq        # benchmarks compare against these; docs examples
  python3 python3-jsonschema python3-yaml  # contract tests validate against the OpenAPI schemas
  python3-pytest python3-pytest-xdist  # runs the Python tests (tests/pytest.ini); -n auto runs them in parallel
  bash zsh fish bsdutils # completion tests; `script` for pseudo-TTY tests
  time                   # benchmarks: GNU time measures peak memory
  clang libclang-rt-14-dev  # fuzz harnesses: libFuzzer is in libclang-rt-14-dev, which clang only recommends
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
