#!/usr/bin/env bash
# each.sh: run one command in every module of the repository, the root
# module first, then the others JOBS at a time (or the root module among
# them, as the first group, when ROOT_FIRST=0: for a command whose work in
# the root module builds nothing the others need).
#
#   tools/each.sh JOBS 'GROUP' ['GROUP' ...] -- CMD [ARG ...]
#
# A GROUP is a space-separated list of module directories run one after
# another, in order, because they share a large dependency (an SDK and its
# example): run side by side, both would compile it. Every module listed in
# MODULES (the environment variable, space-separated) and in no group runs
# as a group of its own. CMD runs with the module's directory as working
# directory; its output is shown whole when the module is done, after the
# line "== LABEL MODULE" printed when it starts (LABEL, from the
# environment, defaults to CMD). The exit status is 1 when CMD
# failed in any module, after every module has run.
set -uo pipefail

jobs=$1
shift
groups=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
	groups+=("$1")
	shift
done
shift # --
[ $# -gt 0 ] || { echo "each.sh: no command" >&2; exit 2; }

root=$(pwd)
label=${LABEL:-$*}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Modules of MODULES that no group names become groups of their own.
listed=" ${groups[*]} "
for m in ${MODULES:-}; do
	[ "$m" = . ] && continue # run first, or put first
	case "$listed" in *" $m "*) ;; *) groups+=("$m") ;; esac
done

# run MODULE: CMD in MODULE, its output kept in a file and shown when done.
run() {
	local m=$1 out start status
	out="$tmp/$(echo "$m" | tr / _).out"
	start=$(date +%s)
	echo "== $label $m"
	(cd "$root/$m" && "${@:2}") >"$out" 2>&1
	status=$?
	{
		cat "$out"
		if [ $status -ne 0 ]; then
			echo "FAILED: $label $m (exit status $status)"
			echo "$m" >>"$tmp/failed"
		else
			echo "-- done: $m, $(($(date +%s) - start))s"
		fi
	} | if command -v flock >/dev/null; then flock "$tmp/print" cat; else cat; fi
	return 0
}
export -f run
export root tmp label

if [ "${ROOT_FIRST:-1}" = 0 ]; then
	groups=(. "${groups[@]}")
else
	run . "$@"
fi
printf '%s\0' "${groups[@]}" | xargs -0 -P "$jobs" -I{} bash -c '
	for m in {}; do run "$m" "$@"; done' _ "$@"

if [ -s "$tmp/failed" ]; then
	echo "FAILED in: $(tr '\n' ' ' <"$tmp/failed")"
	exit 1
fi
