#!/bin/sh
# evidence.sh - attachments and history travel in bundles: two files
# attached at a township reach the city byte for byte; the city sees who
# at the township changed what; a changed, missing or linked attachment is
# refused and changes nothing; a re-import stores nothing twice;
# --no-attachments sends names without bytes, a later --full the bytes.
. "$KEPU_SRCDIR/tests/bundle/blib.sh"

city_new
town_empty anhai
F=$T/files
mkdir -p "$F"
printf '\377\330\377\340\000\020JFIF\000' >"$F/签到表.jpg"
head -c 50000 /dev/urandom >>"$F/签到表.jpg"
printf '%%PDF-1.5\n' >"$F/通知.pdf"
head -c 20000 /dev/urandom >>"$F/通知.pdf"

id=$(add 1 电工培训 30)
run kt anhai attach "$id" "$F/签到表.jpg" "$F/通知.pdf"
is_rc 0 "two files attached at the township"
run kt anhai edit "$id" --set participants=33
is_rc 0 "and the record edited after"

# --- export, verify, import -------------------------------------------------
run kt anhai export --out "$USB"
is_rc 0 "export"
like "$out" "attachments: 2, 2 files written" "the export says what it carried"
b1=$(latest "$USB")
jsum=$(sha256sum "$F/签到表.jpg" | cut -d' ' -f1)
psum=$(sha256sum "$F/通知.pdf" | cut -d' ' -f1)
[ -f "$b1/attachments/$jsum.jpg" ] && [ -f "$b1/attachments/$psum.pdf" ]
ok $? "the files are in attachments/, named by their SHA-256"
grep -q "^$jsum  attachments/$jsum.jpg\$" "$b1/SHA256SUMS"
ok $? "and listed in SHA256SUMS (so under the signature)"
(cd "$b1" && sha256sum -c --quiet SHA256SUMS)
ok $? "sha256sum -c checks the whole bundle, attachments included"
grep -q "^$id,3,签到表.jpg,$jsum,50011,jpg,attachments/$jsum.jpg" "$b1/attachments.csv"
ok $? "attachments.csv names each attachment of the record's row" ||
	diag "$(cat "$b1/attachments.csv")"
head -n 1 "$b1/training.csv" | grep -q ',form_version,attachments,date,'
ok $? "the form file has an attachments column"
grep -q ',attach,'"$id"',anhai,training,2,#attachment,,通知.pdf' "$b1/history.csv"
ok $? "history.csv holds the revisions between: the attach of revision 2"
grep -q ',edit,'"$id"',anhai,training,3,participants,30,33' "$b1/history.csv"
ok $? "and the edit of revision 3, before and after"
run kc verify "$b1"
is_rc 0 "the city verifies it"
like "$out" "attachment files: 2, intact" "attachments included"
run kc import "$b1"
is_rc 0 "and imports it"
like "$out" "attachment files: 2 in the bundle, 2 stored, 0 here already" "storing both files"
for n in 签到表.jpg 通知.pdf; do
	kc attachment get "$id" "$n" --out "$T/city-$n" >/dev/null 2>&1
	is "$(sha256sum <"$T/city-$n" | cut -d' ' -f1)" "$(sha256sum <"$F/$n" | cut -d' ' -f1)" \
		"attachment get at the city gives the same bytes: $n"
done
run kc show "$id"
like "$out" "签到表.jpg (JPEG photo, " "show at the city lists them"

# --- the city sees the township's history ------------------------------------
run kc log "$id" --csv
is "$(printf '%s\n' "$out" | cut -d, -f1,5,9,10 | sed 1d)" "all,merge,3,
anhai,edit,3,participants
anhai,attach,2,#attachment
anhai,attach,2,#attachment
anhai,add,1,date
anhai,add,1,category
anhai,add,1,title
anhai,add,1,organizer
anhai,add,1,venue
anhai,add,1,participants" "the city's log shows each change made at the township, then the import"
run kc log "$id"
like "$out" "anhai/$(id -un)  edit  $id rev 3
    Participants: 30 → 33" "who at the township changed what"

run kc attach "$id" "$F/通知.pdf"
is_rc 64 "the city does not attach to a township's record"
like "$err" "attachments come from the townships with their bundles" "and says why"
run kc detach "$id" 通知.pdf
is_rc 64 "nor detach"

# --- a re-import stores nothing twice ----------------------------------------
run kc check
like "$out" "attachments: 2 files" "the city holds two files"
run kc import "$b1"
is_rc 0 "importing the same bundle again"
like "$out" "already imported" "is known"
run kt anhai export --out "$USB" --full
b2=$(latest "$USB")
run kc import "$b2"
is_rc 0 "a full bundle with the same files imports"
like "$out" "attachment files: 2 in the bundle, 0 stored, 2 here already" "storing nothing again"
run kc check
like "$out" "attachments: 2 files" "still two files at the city"

# --- changed, missing, linked: refused, nothing changes ----------------------
printf '\377\330\377\340\000\020JFIF\000' >"$F/合影.jpg"
head -c 30000 /dev/urandom >>"$F/合影.jpg"
kt anhai attach "$id" "$F/合影.jpg" >/dev/null 2>&1
run kt anhai export --out "$USB"
b3=$(latest "$USB")
gsum=$(sha256sum "$F/合影.jpg" | cut -d' ' -f1)
[ -f "$b3/attachments/$gsum.jpg" ] && [ ! -e "$b3/attachments/$jsum.jpg" ]
ok $? "the next bundle carries the new file only (the others went before)"
city_before 1
bad=$T/bad
try() {    # try WHAT: verify and import $bad refused, city unchanged
	run kc verify "$bad"
	is_rc 65 "$1: verify refuses it"
	vout=$err
	run kc import "$bad"
	is_rc 65 "$1: import refuses it"
	city_unchanged "$1"
}
rm -rf "$bad" && cp -a "$b3" "$bad"
printf 'X' | dd of="$bad/attachments/$gsum.jpg" bs=1 seek=20000 conv=notrunc 2>/dev/null
try "a changed photo"
like "$vout" "file changed: attachments/$gsum.jpg" "the message names it"
rm -rf "$bad" && cp -a "$b3" "$bad"
rm "$bad/attachments/$gsum.jpg"
try "a missing photo"
like "$vout" "missing file: attachments/$gsum.jpg" "the message names it"
rm -rf "$bad" && cp -a "$b3" "$bad"
head -c 100 "$bad/attachments/$gsum.jpg" >"$T/short" && cp "$T/short" "$bad/attachments/$gsum.jpg"
try "a cut-off photo"
like "$vout" "truncated file: attachments/$gsum.jpg" "is called truncated"
rm -rf "$bad" && cp -a "$b3" "$bad"
mv "$bad/attachments/$gsum.jpg" "$T/outside.jpg"
ln -s "$T/outside.jpg" "$bad/attachments/$gsum.jpg"
try "a photo that is a symbolic link (to the right bytes)"
like "$vout" "attachments/$gsum.jpg is a symbolic link" "links are not followed"
rm -rf "$bad" && cp -a "$b3" "$bad"
mv "$bad/attachments" "$T/outside-dir"
ln -s "$T/outside-dir" "$bad/attachments"
try "an attachments folder that is a symbolic link"
rm -rf "$bad" && cp -a "$b3" "$bad"
mv "$bad/training.csv" "$T/outside.csv"
ln -s "$T/outside.csv" "$bad/training.csv"
try "a form file that is a symbolic link"
like "$vout" "training.csv is a symbolic link" "no file of a bundle is read through a link"
rm -rf "$bad" && cp -a "$b3" "$bad"
cp "$bad/attachments/$gsum.jpg" "$bad/attachments/extra.jpg"
try "a file in attachments/ that SHA256SUMS does not list"
like "$vout" "unexpected file: attachments/extra.jpg" "is named"
rm -rf "$bad" && cp -a "$b3" "$bad"
mkdir -p "$T/thumbs" && cp -a "$b3" "$T/thumbs/" && thumbs=$T/thumbs/$(basename "$b3")
touch "$thumbs/attachments/Thumbs.db"
run kc verify "$thumbs"
is_rc 0 "the thumbnails Windows leaves in attachments/ do not fail it"
printf '%s  attachments/../../etc/passwd\n' "$gsum" >>"$bad/SHA256SUMS"
try "a .. name in SHA256SUMS"
like "$vout" "is not a valid checksum line" "the line is refused"
run kc import "$b3"
is_rc 0 "the untouched bundle imports"
like "$out" "attachment files: 1 in the bundle, 1 stored, 0 here already" "storing the one new file"

# --- --no-attachments, then --full --------------------------------------------
printf '%%PDF-1.4\n' >"$F/总结.pdf"
head -c 10000 /dev/urandom >>"$F/总结.pdf"
kt anhai attach "$id" "$F/总结.pdf" >/dev/null 2>&1
run kt anhai export --out "$USB" --no-attachments
is_rc 0 "export --no-attachments"
like "$out" "attachments: 4, named only (--no-attachments)" "says the files stay behind"
b4=$(latest "$USB")
[ ! -e "$b4/attachments" ]
ok $? "the bundle has no attachments folder"
run kc import "$b4"
is_rc 0 "the city imports it"
like "$out" "1 attachments without their bytes" "and knows one file is still to come"
run kc show "$id"
like "$out" "总结.pdf (PDF document, 10 KB, bytes not received)" "show says the bytes have not come"
run kc attachment get "$id" 总结.pdf --out "$T/none.pdf"
is_rc 66 "attachment get cannot give them yet"
like "$err" "such as one of kepu export --full" "and says what brings them"
run kt anhai export --out "$USB" --full
run kc import "$(latest "$USB")"
is_rc 0 "a later full bundle"
like "$out" "attachment files: 4 in the bundle, 1 stored, 3 here already" "brings the missing file"
run kc attachment get "$id" 总结.pdf --out "$T/now.pdf"
cmp -s "$T/now.pdf" "$F/总结.pdf"
ok $? "and attachment get gives it"

# --- a deleted record's attachments go with its tombstone -----------------------
run kt anhai delete "$id"
run kt anhai export --out "$USB"
b6=$(latest "$USB")
[ ! -e "$b6/attachments" ] && tr -d '\r' <"$b6/attachments.csv" | grep -q "^$id,[0-9]*,签到表.jpg,$jsum,.*,jpg,\$"
ok $? "a tombstone's row names its attachments, without sending their bytes"
run kc import "$b6"
is_rc 0 "the city takes the tombstone"
run kc attachment list "$id"
is "$(printf '%s\n' "$out" | wc -l)" 4 "the tombstone at the city still names its four attachments"

done_testing
