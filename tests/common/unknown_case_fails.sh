#!/bin/sh
# unknown_case_fails.sh PROGRAM... - passes when every test program given,
# run with a case name it does not have, exits 2 and says
# "no test case 'NAME'" (the CTest entry tests_unknown_case_fails).
bad=0
for p in "$@"; do
	out=$("$p" no_such_case 2>&1)
	rc=$?
	if [ "$rc" -ne 2 ] || ! printf '%s\n' "$out" | grep -q "no test case 'no_such_case'"; then
		echo "$p no_such_case: exit $rc, expected 2 and \"no test case 'no_such_case'\":"
		printf '%s\n' "$out"
		bad=1
	fi
done
exit $bad
