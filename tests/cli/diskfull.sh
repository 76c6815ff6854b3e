#!/bin/sh
# A full disk under the database is said to be full (not "Input/output
# error"), nothing is half stored, and no command dies of SIGBUS on it.
# The disk is a 320 KiB tmpfs in a mount namespace of the test's own
# (unshare -m as root, unshare -rm for others); the test is skipped where
# neither can mount one.
if [ -z "${KEPU_DISKFULL_NS:-}" ]; then
	for u in "unshare -m" "unshare -rm"; do
		# shellcheck disable=SC2016
		if $u sh -c 'd=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs "$d" &&
			umount "$d" && rmdir "$d"' 2>/dev/null; then
			KEPU_DISKFULL_NS=1 exec $u sh "$0" "$@"
		fi
	done
fi
. "$KEPU_SRCDIR/tests/lib.sh"
[ -n "${KEPU_DISKFULL_NS:-}" ] || skip_all "cannot mount a small tmpfs here (unshare, mount)"
disk=$T/disk
mkdir "$disk"
mount -t tmpfs -o size=320k tmpfs "$disk" || skip_all "cannot mount a tmpfs"
trap 'umount "$disk" 2>/dev/null; rm -rf "$T"' EXIT
DB=$disk/chendai.kepu

run k init --township chendai --year 2025
is_rc 0 "init on the small disk"
"$KEPU" demo --training-csv 3000 >"$T/rows.csv"
run k add training --from-csv "$T/rows.csv"
is_rc 74 "3000 rows do not fit: 74"
like "$err" "the disk is full; free some space and try again" "says the disk is full"
unlike "$err" "input/output error" "not an input/output error"
is "$(count training)" 0 "nothing of the file was stored"
run k check
is_rc 0 "the database checks clean"

KEPU_LANG=zh run k add training --from-csv "$T/rows.csv"
is_rc 74 "in Chinese: 74"
like "$err" "磁盘已满" "in Chinese: says the disk is full"

# Fill the disk to the last block.
dd if=/dev/zero of="$disk/filler" bs=4096 2>/dev/null
run "$KEPU" --db "$disk/new.kepu" init --township anhai --year 2025
is_rc 73 "init of a new database on a full disk: 73"
like "$err" "the disk is full" "says the disk is full"
[ ! -e "$disk/new.kepu" ]
ok $? "leaves no empty database file behind"
[ ! -e "$disk/new.kepu-lock" ]
ok $? "nor its lock file"

# A database whose lock file is gone (copied from another machine): LMDB
# makes a new one, whose pages a full disk cannot hold.
rm -f "$DB-lock" "$disk/filler"
dd if=/dev/zero of="$disk/filler" bs=4096 2>/dev/null
run k list
is_rc 74 "list with no lock file on a full disk: 74"
like "$err" "the disk is full" "says the disk is full"
ok $(( rc > 128 )) "no signal"

rm -f "$disk/filler"
run k list
is_rc 0 "with space again, list works"
run k add training --set date=2025-03-05 --set category=worker --set title=x \
	--set participants=3
is_rc 0 "and add"
run k check
is_rc 0 "and the database checks clean"

# A bulk write big enough to be done in place in the map (store_bulk.c)
# reserves its blocks first: a disk too small says so before any work,
# never SIGBUS half-way.
big=$T/big
mkdir "$big"
mount -t tmpfs -o size=24m tmpfs "$big" || skip_all "cannot mount a second tmpfs"
trap 'umount "$disk" "$big" 2>/dev/null; rm -rf "$T"' EXIT
"$KEPU" demo --training-csv 50000 --year 2025 --seed 4 >"$T/big.csv"
DB=$big/chendai.kepu
run k init --township chendai --year 2025
run k add training --from-csv "$T/big.csv"
is_rc 74 "50,000 rows on a 24 MiB disk: 74"
like "$err" "the disk is full; free some space and try again" "says the disk is full"
ok $(( rc > 128 )) "no signal"
is "$(count training)" 0 "nothing stored"
run k check
is_rc 0 "the database checks clean"
head -n 20001 "$T/big.csv" >"$T/part.csv"
run k add training --from-csv "$T/part.csv"
is_rc 0 "20,000 of them fit"
is "$(count training)" 20000 "and are stored"

done_testing
