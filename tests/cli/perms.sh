#!/bin/sh
# A database this user may not open is "permission denied", with what
# blocks and whose it is: never "no database, create one", which invites a
# second database beside the office's (also on the TUI's start).  init
# warns when the umask or the folder would lock the other clerks of a
# shared office out.  As root, the other clerk is nobody (setpriv); as
# anyone else, a folder closed to oneself stands in for another's.
. "$KEPU_SRCDIR/tests/lib.sh"

chmod 755 "$T"
if [ "$(id -u)" -eq 0 ]; then
	command -v setpriv >/dev/null 2>&1 || skip_all "no setpriv to run as another user"
	me=nobody
	other() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
	clerk() { setpriv --reuid=nobody --regid=nogroup --groups=100 "$@"; }
else
	me=$(id -un)
	other() { "$@"; }
fi

mkdir "$T/office"
"$KEPU" --db "$T/office/anhai.kepu" init --township anhai >/dev/null

# ---- a folder on the way that is closed -----------------------------
chmod 700 "$T/office"
[ "$(id -u)" -eq 0 ] || chmod 000 "$T/office"
run other "$KEPU" --db "$T/office/anhai.kepu" list
is_rc 77 "a closed folder: exit 77 (permission denied)"
like "$err" "permission denied: cannot open the database $T/office/anhai.kepu: the folder $T/office (" \
	"names the database and the folder"
like "$err" "is closed to $me" "and whom it is closed to"
like "$err" "Its owner or the administrator can give access" "and who can fix it"
unlike "$err" "no database" "never says there is no database"
unlike "$err" "init" "nor invites to create one"
run other "$KEPU" --db "$T/office/anhai.kepu" init --township anhai
isnt "$rc" 0 "init does not make a second database there"
# The TUI's start, on a terminal (script(1) gives it one): the same
# message, no offer to create a database.
if command -v script >/dev/null 2>&1; then
	as=
	[ "$(id -u)" -eq 0 ] && as="setpriv --reuid=nobody --regid=nogroup --clear-groups "
	run timeout 20 script -qec "$as'$KEPU' --db '$T/office/anhai.kepu'" /dev/null </dev/null
	like "$out" "permission denied: cannot open the database $T/office/anhai.kepu" \
		"the TUI says permission denied"
	unlike "$out" "Create it for which township?" "and offers no new database"
	unlike "$out" "There is no database" "nor says there is none"
else
	ok 0 "the TUI's start # SKIP no script(1) to give it a terminal"
fi
chmod 755 "$T/office"

if [ "$(id -u)" -eq 0 ]; then
	# ---- the file, the lock file, the folder to create in -------
	chmod 640 "$T/office/anhai.kepu"
	run other "$KEPU" --db "$T/office/anhai.kepu" list
	is_rc 77 "a database file one may not write: 77"
	like "$err" "the database file $T/office/anhai.kepu (root:" "names the file and its owner"
	like "$err" "may not be read and written by nobody" "and says what is missing"
	chmod 666 "$T/office/anhai.kepu"
	chmod 644 "$T/office/anhai.kepu-lock"
	run other "$KEPU" --db "$T/office/anhai.kepu" list
	is_rc 77 "a lock file one may not write: 77"
	like "$err" "its lock file $T/office/anhai.kepu-lock (root:" "names the lock file"
	like "$err" "every user writes the lock file" "and why it matters, even to read"
	run other "$KEPU" --db "$T/office/new.kepu" init --township anhai
	is_rc 77 "init in a folder one may not write: 77"
	like "$err" "nobody may not create files in the folder $T/office (" "says so"
	ok "$([ ! -e "$T/office/new.kepu" ] && echo 0 || echo 1)" "and leaves nothing"

	# ---- init in a shared folder ------------------------------------
	mkdir "$T/shared"
	chgrp 100 "$T/shared"
	chmod 2775 "$T/shared"
	run sh -c "umask 022 && '$KEPU' --db '$T/shared/a.kepu' init --township anhai"
	is_rc 0 "init in a setgid group folder at umask 022"
	like "$err" "warning: umask 0022 leaves the group" "warns that the umask locks the group out"
	like "$err" "chmod g+rw $T/shared/a.kepu $T/shared/a.kepu-lock" "and says how to fix it"
	run sh -c "umask 077 && '$KEPU' --db '$T/shared/b.kepu' init --township anhai"
	like "$err" "warning: umask 0077 leaves the group" "umask 077 too"
	run sh -c "umask 007 && '$KEPU' --db '$T/shared/c.kepu' init --township anhai"
	is_rc 0 "umask 007"
	is "$err" "" "no warning: the office's setup"
	run clerk "$KEPU" --db "$T/shared/c.kepu" add training --set date=2025-03-05 \
		--set category=worker --set title=Shared --set organizer=市总工会 \
		--set venue=Hall --set participants=3
	is_rc 0 "another clerk of the group adds a record to it"
	run clerk "$KEPU" --db "$T/shared/c.kepu" check
	is_rc 0 "and reads it"
	mkdir "$T/shared2"
	chgrp 100 "$T/shared2"
	chmod 775 "$T/shared2"
	run sh -c "umask 007 && '$KEPU' --db '$T/shared2/a.kepu' init --township anhai"
	like "$err" "belongs to the group root, not to the folder's group users" \
		"a group folder without setgid: the file gets the wrong group, said"
	like "$err" "chmod g+s $T/shared2" "with the fix"
	mkdir "$T/mine"
	chmod 700 "$T/mine"
	run sh -c "umask 077 && '$KEPU' --db '$T/mine/a.kepu' init --township anhai"
	is "$err" "" "a folder of one's own: no warning, even at umask 077"
fi
done_testing
