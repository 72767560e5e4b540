#!/bin/sh
# The mahoraga binary as a user runs it: help, version, exit statuses, the one
# option parser of every command, output that cannot be written.
. "$(dirname "$0")/lib.sh"

check "help" 0 run "$MAHORAGA" --help
contains "help lists config" "$T/out" "config"
check "version" 0 run "$MAHORAGA" --version
contains "version" "$T/out" "mahoraga "
check "no command" 2 run "$MAHORAGA"
check "unknown command" 2 run "$MAHORAGA" frobnicate
contains "unknown command message" "$T/err" "'frobnicate' is not a mahoraga command"
check "unknown option" 2 run "$MAHORAGA" --frob config list
check "--db without value" 2 run "$MAHORAGA" --db
check "config usage" 2 run "$MAHORAGA" config
check "config set usage" 2 run "$MAHORAGA" config set triage.draft_threshold


# every command answers --help with its usage and exit 0, and every one parses
# its options the same way: an unknown one, or one without its value, is exit 2
# with the usage; --opt=value is --opt value
for c in demo wall info poll triage expertise busfactor calibrate; do
	check "$c --help" 0 run "$MAHORAGA" "$c" --help
	contains "$c usage" "$T/out" "usage: mahoraga $c"
	check "$c unknown option" 2 run "$MAHORAGA" --db "$T/parse.db" "$c" --frobnicate
	contains "$c names the option" "$T/err" "$c: unknown option '--frobnicate'"
	contains "$c usage on stderr" "$T/err" "usage: mahoraga $c"
done
for c in triage expertise busfactor calibrate; do
	check "$c --format without value" 2 run "$MAHORAGA" --db "$T/parse.db" "$c" --format
	contains "$c says what is missing" "$T/err" "$c: --format needs a value"
done
check "spells unknown option" 2 run "$MAHORAGA" --db "$T/parse.db" spells list --frobnicate
check "demo takes no arguments" 2 run "$MAHORAGA" demo now
contains "demo says so" "$T/err" "demo takes no arguments ('now')"
python_issue "$T/issue.md"
check "--format=json as --format json" 0 run "$MAHORAGA" triage --parse-only --format=json "$T/issue.md"
python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$T/out" && passes=$((passes + 1)) || { echo "FAIL: --format=json not JSON"; fails=$((fails + 1)); }


# output that cannot be written is an error, not a silent 0 (a backup to a full disk)
for cmd in "--version" "config list" "users export"; do
	# shellcheck disable=SC2086
	run "$MAHORAGA" --db "$T/full.db" $cmd >/dev/full 2>"$T/err"
	got=$?
	if [ "$got" -eq 3 ] && grep -q "writing the output" "$T/err"; then passes=$((passes + 1)); else
		echo "FAIL: $cmd to /dev/full: exit $got"; sed 's/^/  | /' "$T/err"; fails=$((fails + 1)); fi
done

# libgit2's transports are never used, so starting it reads no CA bundle
# (Debian's libgit2, built with mbedTLS, parses one in git_libgit2_init unless
# the program defines that parse: core/gitlib). The dynamic linker says which
# definition libgit2's call is bound to.
if ldd "$MAHORAGA" | grep -q libmbedx509; then
	check "version, with the linker's bindings" 0 env LD_DEBUG=bindings "$MAHORAGA" --version
	if grep -qE "libgit2[^ ]* \[0\] to [^ ]*mahoraga \[0\]: normal symbol .mbedtls_x509_crt_parse_file" "$T/err"; then
		passes=$((passes + 1))
	else
		echo "FAIL: libgit2's CA bundle parse is not the program's:"
		grep "mbedtls_x509_crt_parse_file" "$T/err" | sed 's/^/  | /'
		fails=$((fails + 1))
	fi
fi

# a command that makes no request loads no network code: libcurl (and the
# TLS, LDAP and Kerberos libraries it pulls in) comes with the first request
check "triage, with the loader's files" 0 env LD_DEBUG=files "$MAHORAGA" triage --parse-only --format json "$T/issue.md"
lacks "no libcurl without a request" "$T/err" "libcurl"
lacks "no TLS library without a request" "$T/err" "libgnutls"

finish
