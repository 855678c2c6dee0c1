#!/bin/sh
# A stand-in for an Electron that Chromium stops at start (its sandbox, root, no display): it
# says STAND_IN_SAYS on stderr, then dies by SIGTRAP as a FATAL line's abort does
# (STAND_IN_ENDS=trap) or exits with the status STAND_IN_ENDS. It notes in STAND_IN_LOG that it ran.
ulimit -c 0
echo "ran $$ $*" >> "$STAND_IN_LOG"
printf '%s\n' "$STAND_IN_SAYS" >&2
if [ "$STAND_IN_ENDS" = trap ]; then kill -TRAP $$; fi
exit "$STAND_IN_ENDS"
