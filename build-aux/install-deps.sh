#!/bin/sh
# Install the Debian 12 packages kepu needs to build and run, when missing;
# with --tests also those its test suite uses (pexpect and pyte for the TUI
# tests, valgrind, clang for the fuzzers, LibreOffice, poppler and a CJK
# font to open and print the workbooks kepu writes).
# Safe to run again: installs nothing when everything is there.
# Usage: sh build-aux/install-deps.sh [--tests]   (as root, or with sudo)
set -e
pkgs="build-essential autoconf automake autopoint pkg-config gettext
      libncurses-dev liblmdb-dev lmdb-utils libcsv-dev libsodium-dev
      libxlsxwriter-dev man-db groff-base locales
"
if [ "${1:-}" = --tests ]; then
	pkgs="$pkgs python3 python3-pexpect python3-pyte sqlite3 valgrind
	      clang libclang-rt-14-dev libreoffice-calc-nogui poppler-utils
	      fonts-noto-cjk"
fi
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "kepu: installing:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
