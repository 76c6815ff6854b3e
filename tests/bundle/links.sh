#!/bin/sh
# A bundle's files are read only as regular files inside its folder: a
# listed file that is a symbolic link (to a copy outside the bundle, with
# the very bytes that were signed) was followed, hashed and accepted; a
# FIFO would hang the import.  Both are refused now.  The bundle folder
# itself may be given through a link: the path names where the bundle is.
. "$KEPU_SRCDIR/tests/bundle/blib.sh"

town anhai 7 || { ok 1 "demo database"; done_testing; }
city_new
kc township trust "$T/anhai.key" >/dev/null
kt anhai export --out "$USB" >/dev/null
good=$(latest "$USB")
city_before_empty=$(checked kc)

# A copy of the bundle with file NAME replaced by what the rest of the
# arguments make of it (run in the copy's folder, $1 being NAME).
bad=$T/bad/$(basename "$good")
spoil() {
	rm -rf "$T/bad" "$T/outside"
	mkdir -p "$T/bad" "$T/outside"
	cp -r "$good" "$T/bad/"
	_name=$1
	shift
	(cd "$bad" && "$@" "$_name")
}
to_link() {
	mv "$1" "$T/outside/$1"
	ln -s "$T/outside/$1" "$1"
}
to_fifo() {
	rm "$1"
	mkfifo "$1"
}
to_dir() {
	rm "$1"
	mkdir "$1"
}

for f in training.csv manifest.csv SHA256SUMS manifest.sig; do
	spoil "$f" to_link
	run timeout 20 "$KEPU" --db "$CITY" verify "$bad"
	is_rc 65 "$f a link to the same bytes outside the bundle: verify refuses"
	like "$err" "$f is a symbolic link, not a file of the bundle: refused" "$f: says so"
	run timeout 20 "$KEPU" --db "$CITY" import "$bad"
	is_rc 65 "$f a link: import refuses"
	is "$(checked kc)" "$city_before_empty" "$f a link: nothing imported"
done

spoil training.csv to_fifo
run timeout 20 "$KEPU" --db "$CITY" import "$bad"
is_rc 65 "a FIFO in place of a file: refused, without hanging"
like "$err" "training.csv is not a regular file: refused" "says so"
spoil activity.csv to_dir
run kc import "$bad"
is_rc 65 "a folder in place of a file: refused"
like "$err" "activity.csv is not a regular file: refused" "says so"
is "$(checked kc)" "$city_before_empty" "nothing was imported"

# The bundle folder given as a link is followed.
ln -s "$good" "$T/via-link"
run kc verify "$T/via-link"
is_rc 65 "a link to the bundle folder under another name: the name is still checked"
like "$err" "the folder is named via-link but the manifest says" "as for a renamed folder"
ln -s "$good" "$T/$(basename "$good")"
run kc import "$T/$(basename "$good")"
is_rc 0 "a link to the bundle folder, named as the bundle: imported"
done_testing
