#!/bin/sh
# log.sh - kepu log: who changed what and when, each field before -> after,
# for edits made by two Unix accounts on one shared database (as clerks
# in separate SSH sessions are).  kepu takes the account from
# getpwuid(geteuid()), never from $USER, so the test runs kepu as two real
# accounts: it needs root to make them (useradd) and to switch (setpriv).
. "$KEPU_SRCDIR/tests/lib.sh"

[ "$(id -u)" -eq 0 ] || skip_all "needs root: log.sh runs kepu as two Unix accounts it creates with useradd"
command -v useradd >/dev/null && command -v setpriv >/dev/null ||
	skip_all "needs useradd and setpriv to run kepu as two Unix accounts"

A=kepulog1 B=kepulog2
made=
for u in $A $B; do
	if ! id "$u" >/dev/null 2>&1; then
		useradd -M -N -s /usr/sbin/nologin "$u" 2>/dev/null ||
			skip_all "useradd $u failed"
		made="$made $u"
	fi
done
cleanup_users() { for u in $made; do userdel "$u" 2>/dev/null; done; }
trap 'cleanup_users; tap_exit' EXIT

# A folder both accounts can reach, as the office's shared one.
chmod 711 "$T"
S=$T/shared
mkdir -p "$S"
chmod 1777 "$S"
DB=$S/chendai.kepu
new_db
chmod 666 "$DB" "$DB-lock"
as() {
	_u=$1
	shift
	setpriv --reuid="$_u" --regid="$(id -g "$_u")" --clear-groups \
		"$KEPU" --db "$DB" "$@"
}

run as $A add training --set date=2025-03-05 --set category=worker \
	--set title=电工培训 --set participants=30 --set venue=礼堂
is_rc 0 "$A adds a training"
id=$(printf '%s\n' "$out" | tail -n 1)
run as $B edit "$id" --set participants=32
is_rc 0 "$B changes the participants"
run as $A edit "$id" --set title=电工安全培训 --set venue=
is_rc 0 "$A changes the title and clears the venue"
run as $B edit "$id" --set participants=35
is_rc 0 "$B changes the participants again"

run k log "$id" --csv
is_rc 0 "log --csv"
is "$(printf '%s\n' "$out" | cut -d, -f1,2,4,5,9-12)" \
"origin,seq,changed_by,action,rev,field,before,after
chendai,4,$B,edit,4,participants,32,35
chendai,3,$A,edit,3,title,电工培训,电工安全培训
chendai,3,$A,edit,3,venue,礼堂,
chendai,2,$B,edit,2,participants,30,32
chendai,1,$A,add,1,date,,2025-03-05
chendai,1,$A,add,1,category,,worker
chendai,1,$A,add,1,title,,电工培训
chendai,1,$A,add,1,venue,,礼堂
chendai,1,$A,add,1,participants,,30" \
	"every change newest first: who, what, each field before and after"
printf '%s\n' "$out" | sed 1d | cut -d, -f3 | grep -qvE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'
ok $((! $?)) "every change says when, in UTC"
is "$(printf '%s\n' "$out" | sed 1d | cut -d, -f6 | sort -u)" "$id" "every row names the record"

run k log "$id"
is_rc 0 "log for people"
like "$out" "$B  edit  $id rev 4
    Participants: 32 → 35" "the last change first, with its account"
like "$out" "$A  edit  $id rev 3
    Title: 电工培训 → 电工安全培训
    Venue: 礼堂 → (empty)" "a cleared field reads (empty)"
like "$out" "Category: (empty) → worker (Worker training)" "a choice: its code and its label"
KEPU_LANG=zh run k log "$id"
like "$out" "参训人次: 32 → 35" "in Chinese with the form's labels"

# The whole log, and the record's own, agree; --since filters by day.
run k log --csv
is "$(printf '%s\n' "$out" | grep -c ",$id,")" 9 "the whole log holds the same nine rows"
run k log "$id" --since 2000-01-01 --csv
is "$(printf '%s\n' "$out" | wc -l)" 10 "--since a day long past keeps them all"
run k log "$id" --since 2999-12-31
is_rc 0 "--since a day to come"
is "$out" "No changes of this record match." "finds none"
run k log "$id" --since 明天见
is_rc 64 "--since wants a date"
run k log 01ARZ3NDEKTSV4RRFFQ69G5FAV
is_rc 66 "an unknown record"
like "$err" "no such record: 01ARZ3NDEKTSV4RRFFQ69G5FAV" "is named"

# The audit keeps the account that made each change, whoever reads it.
run as $B log "$id" --csv
is "$(printf '%s\n' "$out" | sed 1d | cut -d, -f4 | uniq | tr '\n' ' ')" "$B $A $B $A " \
	"read by $B, the log still says who made each change"

# A forms update is an event of the whole log, not of a record's.
cp -r "$KEPU_FORMS" "$T/forms"
v=$(sed -n 's/^version,\([0-9]*\).*/\1/p' "$T/forms/formset.csv")
sed -i "s/^version,$v/version,$((v + 1))/" "$T/forms/formset.csv"
run k forms update "$T/forms"
is_rc 0 "the forms move on a version"
run k log --csv
like "$out" ",forms,,,,,#forms,$v,$((v + 1))" "the log shows the forms update, from and to"
run k log "$id" --csv
unlike "$out" ",forms," "a record's log does not"

done_testing
