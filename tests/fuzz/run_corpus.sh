#!/bin/sh
# Run every fuzz target over its corpus (the standalone driver, under the same
# sanitizers as the rest of the suite).
set -eu
srcdir=${srcdir:-.}
for target in config trace spell codeowners inbox csv packed webhook link github slack llm similarity; do
	"./tests/fuzz/run_$target" "$srcdir/tests/fuzz/corpus/$target"
done
