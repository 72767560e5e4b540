# What the command-line test scripts share: a scratch folder, a clean
# environment, and checks that count passes and failures. Source it, then
# end with `finish`.
set -u
MAHORAGA=${MAHORAGA:-./mahoraga}
T=$(mktemp -d "${TMPDIR:-/tmp}/mahoraga-cli-XXXXXX")
trap 'rm -rf "$T"' EXIT
fails=0 passes=0

check() { # check NAME EXPECTED_STATUS COMMAND... ; output in $T/out and $T/err
	name=$1 want=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		echo "FAIL: $name: exit $got, wanted $want"; sed 's/^/  | /' "$T/err"
		fails=$((fails + 1)); return 1
	fi
	passes=$((passes + 1))
}
contains() { # contains NAME FILE TEXT
	if grep -qF -- "$3" "$2"; then passes=$((passes + 1)); else
		echo "FAIL: $1: '$3' not in:"; sed 's/^/  | /' "$2"; fails=$((fails + 1)); fi
}
lacks() {
	if grep -qF -- "$3" "$2"; then echo "FAIL: $1: '$3' printed"; fails=$((fails + 1));
	else passes=$((passes + 1)); fi
}
equals() { # equals NAME GOT WANTED
	if [ "$2" = "$3" ]; then passes=$((passes + 1)); else
		echo "FAIL: $1: got '$2', wanted '$3'"; fails=$((fails + 1)); fi
}

# A clean environment: only what the test sets.
run() { env -i HOME="$T/home" PATH="$PATH" "$@"; }
mkdir -p "$T/home"

# commit AUTHOR DATE MESSAGE: commit everything as AUTHOR (name; email name@x)
commit() {
	git add -A && GIT_AUTHOR_DATE="$2T12:00:00Z" GIT_COMMITTER_DATE="$2T12:00:00Z" \
		git -c user.name="$1" -c user.email="$1@x" commit -qm "$3"
}

finish() {
	echo "$passes passed, $fails failed"
	[ "$fails" -eq 0 ]
}
