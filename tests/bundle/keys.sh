#!/bin/sh
# The secret signing key lives in the database and in its backups.  A
# backup is never more open than the database (it was created 0644 at
# umask 022, readable by every local user, who could then sign bundles as
# the township).  A key that may have leaked is replaced with kepu key
# rotate; the city trusts the new key only with an explicit
# kepu township trust KEYFILE --replace and refuses its bundles until then,
# saying exactly that.
. "$KEPU_SRCDIR/tests/bundle/blib.sh"

mode() { stat -c %a "$1"; }

# ---- backups --------------------------------------------------------
town anhai 6 || { ok 1 "demo database"; done_testing; }
chmod 660 "$T/anhai.kepu"
(umask 022 && kt anhai backup --out "$T/b1.kepu" >/dev/null)
is "$(mode "$T/b1.kepu")" 640 "umask 022: the backup is 640, not world-readable"
(umask 000 && kt anhai backup --out "$T/b2.kepu" >/dev/null)
is "$(mode "$T/b2.kepu")" 660 "umask 000: no more than the database's own 660"
chmod 600 "$T/anhai.kepu"
(umask 022 && kt anhai backup --out "$T/b3.kepu" >/dev/null)
is "$(mode "$T/b3.kepu")" 600 "a database of 600: its backup is 600"
(umask 077 && kt anhai backup --out "$T/b4.kepu" >/dev/null)
is "$(mode "$T/b4.kepu")" 600 "a stricter umask is kept"
run "$KEPU" --db "$T/b3.kepu" check
is_rc 0 "the backup is a good database"

# ---- rotation -------------------------------------------------------
city_new
kc township trust "$T/anhai.key" >/dev/null
kt anhai export --out "$USB" >/dev/null
kc import "$(latest "$USB")" >/dev/null
old=$(kt anhai key show | awk '{ print $2 }')
cp "$T/anhai.kepu" "$T/leaked.kepu"     # a copy the key leaked with

run kt anhai key rotate --out "$T/anhai.key"
is_rc 73 "rotate --out onto an existing file: refused (73)"
like "$err" "the key was not replaced" "before the key changes"
is "$(kt anhai key show | awk '{ print $2 }')" "$old" "the key is the same"

run kt anhai key rotate --out "$T/anhai-new.key"
is_rc 0 "key rotate"
new=$(kt anhai key show | head -n 1 | awk '{ print $2 }')
isnt "$new" "$old" "a new key pair"
like "$out" "new signing key of anhai: fingerprint $new (the old key $old is retired and kept in the history)" \
	"it names both fingerprints"
like "$err" "give the new public key to the city: after checking the fingerprint $new over the telephone, it trusts it with kepu township trust FILE --replace; until then it refuses this township's bundles signed with the new key" \
	"and says what the city must do"
like "$(kt anhai key show)" "retired $old (" "key show lists the retired key"
like "$(cat "$T/anhai-new.key")" "$(kt anhai key export | grep public_key)" \
	"--out wrote the new public key"

add 5 "After the new key" 12 >/dev/null
kt anhai export --out "$USB" >/dev/null
b2=$(latest "$USB")
city_before "$(checked kc)"
run kc import "$b2"
is_rc 65 "the city refuses a bundle signed with the new key"
like "$err" "untrusted key: signed with another key of anhai, $new, but the key trusted for anhai is $old; if anhai has a new key (kepu key rotate), check the fingerprint $new with them over the telephone and trust its key file with kepu township trust KEYFILE --replace; until then bundles signed with it are refused" \
	"saying exactly why and what to do"
unlike "$err" "for a good copy" "not as a damaged copy"
city_unchanged "refused"
run kc township trust "$T/anhai-new.key"
is_rc 65 "trusting the new key without --replace is refused"
like "$err" "add --replace" "and says so"
run kc import "$b2"
is_rc 65 "still refused"
run kc township trust "$T/anhai-new.key" --replace
is_rc 0 "the explicit step"
like "$out" "trusted the key of anhai, fingerprint $new" "names the new fingerprint"
run kc import "$b2"
is_rc 0 "now the bundle is accepted"
like "$out" "new 1," "with its record"

# The leaked old key signs no more: a bundle made with it is refused.
mkdir "$T/forged"
"$KEPU" --db "$T/leaked.kepu" add training --set date=2025-03-09 \
	--set category=worker --set title=Forged --set organizer=市总工会 \
	--set venue=Hall --set participants=99 >/dev/null 2>&1
"$KEPU" --db "$T/leaked.kepu" export --out "$T/forged" >/dev/null
city_before "$(checked kc)"
run kc import "$(latest "$T/forged")"
is_rc 65 "a bundle signed with the retired key is refused"
city_unchanged "the forged bundle"

# The city's key: a township refuses its quota bundles until it trusts
# the new one.
kc key export --out "$T/city.key" 2>/dev/null
kt anhai township trust "$T/city.key" >/dev/null
kc quota import "$KEPU_FORMS/quotas-2025-example.csv" >/dev/null 2>&1
kc key rotate --out "$T/city-new.key" >/dev/null 2>&1
mkdir "$T/q"
kc quota export --out "$T/q" --township anhai >/dev/null
run kt anhai import "$(ls -d "$T"/q/quota-* | head -n 1)"
is_rc 65 "a township refuses the city's bundle signed with its new key"
like "$err" "signed with another key of the city (all)" "naming the city"
kt anhai township trust "$T/city-new.key" --replace >/dev/null
run kt anhai import "$(ls -d "$T"/q/quota-* | head -n 1)"
is_rc 0 "and takes it once it trusts the new key"
done_testing
