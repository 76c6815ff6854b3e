#!/bin/sh
# Install the Debian 12 packages kepu needs to build and test, when missing
# (LibreOffice, poppler and a CJK font only for the tests that open the
# workbooks kepu writes and print them).
# Safe to run again: installs nothing when everything is there.
# Usage: sh build-aux/install-deps.sh        (as root, or with sudo)
set -e
pkgs="build-essential autoconf automake autopoint pkg-config gettext
      libncurses-dev liblmdb-dev lmdb-utils libcsv-dev libsodium-dev
      libxlsxwriter-dev
      python3 python3-pexpect python3-pyte sqlite3 valgrind man-db groff-base
      locales libreoffice-calc-nogui poppler-utils fonts-noto-cjk
"
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
