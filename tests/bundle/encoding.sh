#!/bin/sh
# A GB18030 bundle is read in the encoding its signed manifest declares,
# never guessed: 农业知识 in GB18030 (c5a9 d2b5 d6aa cab6) is valid UTF-8
# too, and a guess would import it as other characters.
. "$KEPU_SRCDIR/tests/bundle/blib.sh"

city_new
rm -f "$T/anhai.kepu"
kt anhai init --township anhai --year 2025 >/dev/null
kt anhai add training --set date=2025-03-01 --set category=worker \
	--set title=农业知识 --set organizer=市总工会 --set venue=Hall \
	--set participants=20 >/dev/null 2>&1
kt anhai key export --out "$T/anhai.key" 2>/dev/null
kc township trust "$T/anhai.key" >/dev/null 2>&1

mkdir -p "$T/gb"
run kt anhai export --out "$T/gb" --encoding gb18030
is_rc 0 "a GB18030 export"
g=$(latest "$T/gb")
grep -q "$(printf '\305\251\322\265\326\252\312\266')" "$g/training.csv"
ok $? "the title is written in GB18030"
iconv -f UTF-8 -t UTF-8 "$g/training.csv" >/dev/null 2>&1
is $? 0 "and the file happens to be valid UTF-8 as well"
run kc verify "$g"
is_rc 0 "the city verifies it"
run kc import "$g"
is_rc 0 "the city imports it"
kc list training --csv >"$T/list.csv"
grep -q ',农业知识,' "$T/list.csv"
ok $? "the title arrives as 农业知识, byte for byte"

done_testing
